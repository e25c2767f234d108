package io.scoreline.predict;

import io.scoreline.core.records.Document;
import io.scoreline.model.LoadedModel;
import io.scoreline.model.ModelSpec;
import io.scoreline.model.Score;
import io.scoreline.model.Vectorizer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * Scores lines {@code [from, to)} of a chunk: each line read straight into a row when it has the plain form fetch
 * writes ({@link PlainDocument}), else parsed as a whole tree and vectorized ({@link WholeTree}, which also gives the
 * rejections); all scored in one call of the scorer's batch method, and each prediction written as bytes
 * ({@link PredictionLines}) or, when that cannot, as a record.
 */
final class SliceScoring {
    private final LoadedModel model;
    private final ModelSpec spec;
    private final Vectorizer vectorizer;
    private final PredictionLines predictions;
    private final ThreadLocal<Readers> readers;

    /** What one scoring thread reuses from slice to slice (a slice is scored on one thread, start to end). */
    private static final class Readers {
        final PlainDocument plain;
        private final int width;
        private double[][] rows = new double[0][];

        Readers(ModelSpec spec) {
            plain = new PlainDocument(spec.features());
            width = spec.features().size();
        }

        /** The i-th reusable row of this thread. */
        double[] row(int i) {
            if (i >= rows.length) rows = Arrays.copyOf(rows, Math.max(i + 1, rows.length * 2));
            if (rows[i] == null) rows[i] = new double[width];
            return rows[i];
        }
    }

    SliceScoring(LoadedModel model) {
        this.model = model;
        this.spec = model.spec();
        this.vectorizer = model.vectorizer();
        this.predictions = new PredictionLines(spec);
        this.readers = ThreadLocal.withInitial(() -> new Readers(spec));
    }

    ScoredSlice score(LineChunk chunk, int from, int to) {
        var out = new ScoredSlice(to - from);
        var kept = new SliceRows(to - from);
        Readers readers = this.readers.get();
        byte[] data = chunk.data();
        PlainDocument plain = readers.plain;
        for (int i = from; i < to; i++) {
            double[] row = readers.row(kept.size);
            if (plain.read(data, chunk.start(i), chunk.length(i), row)) {
                kept.add(i, row, data, plain.idStart(), plain.idLength(), data, plain.timeStart(), plain.timeLength());
            } else {
                parse(chunk, i, from, kept, out);
            }
        }
        Score[] scores = new Score[kept.size];
        model.scorer().score(kept.rows, 0, kept.size, scores);
        write(chunk, from, kept, scores, out);
        return out;
    }

    /** A line that is not in the plain form: the whole tree and the Vectorizer decide, rejections included. */
    private void parse(LineChunk chunk, int i, int from, SliceRows kept, ScoredSlice out) {
        String text = chunk.text(i);
        Document doc;
        try {
            doc = WholeTree.parse(text);
        } catch (WholeTree.Rejected e) {
            reject(out, i - from, e.record());
            return;
        }
        try {
            kept.add(i, vectorizer.row(doc.features()), doc);
        } catch (Vectorizer.InvalidFeature e) {
            reject(out, i - from, WholeTree.reject(doc.id(), text, e.getMessage()));
        }
    }

    private void write(LineChunk chunk, int from, SliceRows kept, Score[] scores, ScoredSlice out) {
        byte[] k = kept.keys.data();
        for (int v = 0; v < kept.size; v++) {
            int i = kept.line[v], r = i - from, start = kept.keyStart[v], idLength = kept.idLength[v];
            Document doc = kept.docs[v];
            if (!scores[v].isFinite()) {
                reject(out, r, WholeTree.reject(kept.id(v), chunk.text(i), "the model returned a non-finite score"));
            } else if (doc == null && predictions.append(out.lines, k, start, idLength, start + idLength,
                kept.timeLength[v], scores[v])) {
                out.ends[r] = out.lines.size();
            } else if (doc != null) {
                out.text[r] = WholeTree.prediction(doc.id(), doc.updatedAt(), scores[v], spec);
            } else {
                out.text[r] = WholeTree.prediction(kept.id(v), Instant.parse(new String(k, start + idLength, kept.timeLength[v],
                    StandardCharsets.ISO_8859_1)), scores[v], spec);
            }
        }
    }

    private static void reject(ScoredSlice out, int r, String record) {
        out.text[r] = record;
        out.rejected[r] = true;
    }
}
