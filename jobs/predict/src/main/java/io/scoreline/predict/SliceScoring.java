package io.scoreline.predict;

import io.scoreline.core.records.Document;
import io.scoreline.model.LoadedModel;
import io.scoreline.model.ModelSpec;
import io.scoreline.model.Score;
import io.scoreline.model.Vectorizer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Scores lines {@code [from, to)} of a chunk: each line read by the streaming path when it can ({@link DocumentFields},
 * one per thread) or else as a whole tree ({@link WholeTree}), vectorized, all scored in one call of the scorer's
 * batch method, and each prediction written as bytes ({@link PredictionLines}) or, when that cannot, as a record.
 */
final class SliceScoring {
    private final LoadedModel model;
    private final ModelSpec spec;
    private final Vectorizer vectorizer;
    private final PredictionLines predictions;
    private final ThreadLocal<DocumentFields> fields;

    SliceScoring(LoadedModel model) {
        this.model = model;
        this.spec = model.spec();
        this.vectorizer = model.vectorizer();
        this.predictions = new PredictionLines(spec);
        Set<String> wanted = spec.features().stream().map(ModelSpec.Feature::name).collect(Collectors.toUnmodifiableSet());
        this.fields = ThreadLocal.withInitial(() -> new DocumentFields(wanted));
    }

    ScoredSlice score(LineChunk chunk, int from, int to) {
        int n = to - from;
        var out = new ScoredSlice(n);
        DocumentFields reader = fields.get();
        double[][] rows = new double[n][];
        int[] line = new int[n], keyStart = new int[n], idLength = new int[n], timeLength = new int[n];
        Document[] docs = new Document[n];  // for lines read as a whole tree
        var keys = new Bytes(n * 48);
        int valid = 0;
        for (int i = from; i < to; i++) {
            if (reader.read(chunk.data(), chunk.start(i), chunk.length(i))) {
                try {
                    rows[valid] = vectorizer.row(reader.features());
                    keyStart[valid] = keys.size();
                    idLength[valid] = reader.id().size();
                    timeLength[valid] = reader.time().size();
                    keys.add(reader.id().data(), 0, idLength[valid]);
                    keys.add(reader.time().data(), 0, timeLength[valid]);
                    line[valid++] = i;
                    continue;
                } catch (Vectorizer.InvalidFeature e) {
                    // the whole-tree path below rejects it, with the reason and the document
                }
            }
            String text = chunk.text(i);
            Document doc;
            try {
                doc = WholeTree.parse(text);
            } catch (WholeTree.Rejected e) {
                reject(out, i - from, e.record());
                continue;
            }
            try {
                rows[valid] = vectorizer.row(doc.features());
                docs[valid] = doc;
                line[valid++] = i;
            } catch (Vectorizer.InvalidFeature e) {
                reject(out, i - from, WholeTree.reject(doc.id(), text, e.getMessage()));
            }
        }
        Score[] scores = new Score[valid];
        model.scorer().score(rows, 0, valid, scores);
        byte[] k = keys.data();
        for (int v = 0; v < valid; v++) {
            int i = line[v], r = i - from;
            Document doc = docs[v];
            if (!scores[v].isFinite()) {
                String id = doc != null ? doc.id() : new String(k, keyStart[v], idLength[v], StandardCharsets.ISO_8859_1);
                reject(out, r, WholeTree.reject(id, chunk.text(i), "the model returned a non-finite score"));
            } else if (doc == null && predictions.append(out.lines, k, keyStart[v], idLength[v], keyStart[v] + idLength[v],
                timeLength[v], scores[v])) {
                out.ends[r] = out.lines.size();
            } else if (doc != null) {
                out.text[r] = WholeTree.prediction(doc.id(), doc.updatedAt(), scores[v], spec);
            } else {
                out.text[r] = WholeTree.prediction(new String(k, keyStart[v], idLength[v], StandardCharsets.ISO_8859_1),
                    Instant.parse(new String(k, keyStart[v] + idLength[v], timeLength[v], StandardCharsets.ISO_8859_1)),
                    scores[v], spec);
            }
        }
        return out;
    }

    private static void reject(ScoredSlice out, int r, String record) {
        out.text[r] = record;
        out.rejected[r] = true;
    }
}
