package io.scoreline.predict;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scoreline.core.records.Document;
import io.scoreline.core.records.Json;
import io.scoreline.core.records.NdjsonReader;
import io.scoreline.core.records.NdjsonWriter;
import io.scoreline.core.records.OutputFile;
import io.scoreline.core.run.Progress;
import io.scoreline.core.store.ObjectStore;
import io.scoreline.model.LoadedModel;
import io.scoreline.model.PredictionRecord;
import io.scoreline.model.Score;
import io.scoreline.model.Vectorizer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

/**
 * Scores an input file chunk by chunk: parsing, vectorizing, scoring (the scorer's batch method, one slice of a chunk
 * per task) and serializing run on every core while the next chunk is read and the previous one written; reading and
 * writing stay sequential so the output keeps the input's id order. At most three chunks are in memory. Rejected
 * documents are kept, with the reason.
 */
final class BatchScoring {
    private static final int CHUNK = 8192;
    /** Rows per scoring task: enough for a batch scorer to amortize its tree walks, small enough to share the cores. */
    private static final int SLICE = 512;
    private final LoadedModel model;
    private final Vectorizer vectorizer;
    private final ForkJoinPool pool;
    private final Progress progress;
    private final List<String> rejected = new ArrayList<>();
    private long read;
    private String inputSha256;

    BatchScoring(LoadedModel model, ForkJoinPool pool, Progress progress) {
        this.model = model;
        this.progress = progress;
        this.vectorizer = model.vectorizer();
        this.pool = pool;
    }

    /** A scored line, or a rejected record when {@code rejected} is true. */
    private record Outcome(String line, boolean rejected) {}

    OutputFile run(ObjectStore store, String inputKey, String outputKey) {
        return NdjsonWriter.write(store, outputKey, out -> {
            try (NdjsonReader in = new NdjsonReader(store, inputKey)) {
                Future<Outcome[]> pending = null;
                List<String> chunk;
                while (!(chunk = next(in)).isEmpty()) {
                    Future<Outcome[]> scoring = submit(chunk);
                    if (pending != null) write(finished(pending), out);
                    pending = scoring;
                }
                if (pending != null) write(finished(pending), out);
                inputSha256 = in.sha256();
            }
        });
    }

    /** The next readable line; one that is not valid UTF-8 is rejected here (its id cannot be trusted) and skipped. */
    private String nextOrReject(NdjsonReader in) {
        while (true) {
            try {
                return in.next();
            } catch (NdjsonReader.InvalidLine e) {
                ObjectNode record = Json.MAPPER.createObjectNode().put("job", "predict").put("reason", e.getMessage());
                rejected.add(record.put("document", e.lossyText()).toString());
                read++;
            }
        }
    }

    long read() {
        return read;
    }

    List<String> rejected() {
        return rejected;
    }

    String inputSha256() {
        return inputSha256;
    }

    private List<String> next(NdjsonReader in) {
        List<String> chunk = new ArrayList<>(CHUNK);
        String line;
        while (chunk.size() < CHUNK && (line = nextOrReject(in)) != null) chunk.add(line);
        return chunk;
    }

    private Future<Outcome[]> submit(List<String> chunk) {
        Outcome[] outcomes = new Outcome[chunk.size()];
        int slices = (chunk.size() + SLICE - 1) / SLICE;
        return pool.submit(() -> {
            IntStream.range(0, slices).parallel().forEach(s -> score(chunk, s * SLICE, Math.min(chunk.size(), (s + 1) * SLICE), outcomes));
            return outcomes;
        });
    }

    private static Outcome[] finished(Future<Outcome[]> scoring) {
        try {
            return scoring.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while scoring", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private void write(Outcome[] outcomes, NdjsonWriter out) {
        for (Outcome o : outcomes) {
            if (o.rejected()) rejected.add(o.line());
            else out.writeRaw(o.line());
        }
        read += outcomes.length;
        progress.add(outcomes.length);
    }

    /** Lines {@code [from, to)} of a chunk: parsed and vectorized one by one, scored together, serialized one by one. */
    private void score(List<String> chunk, int from, int to, Outcome[] outcomes) {
        Document[] docs = new Document[to - from];
        double[][] rows = new double[to - from][];
        int[] line = new int[to - from];
        int valid = 0;
        for (int i = from; i < to; i++) {
            Document doc = parse(chunk.get(i), outcomes, i);
            if (doc == null) continue;
            try {
                rows[valid] = vectorizer.row(doc.features());
                docs[valid] = doc;
                line[valid++] = i;
            } catch (Vectorizer.InvalidFeature e) {
                outcomes[i] = reject(doc.id(), chunk.get(i), e.getMessage());
            }
        }
        Score[] scores = new Score[valid];
        model.scorer().score(rows, 0, valid, scores);
        for (int v = 0; v < valid; v++) {
            int i = line[v];
            if (!scores[v].isFinite()) {
                outcomes[i] = reject(docs[v].id(), chunk.get(i), "the model returned a non-finite score");
                continue;
            }
            try {
                outcomes[i] = new Outcome(Json.MAPPER.writeValueAsString(
                    PredictionRecord.of(docs[v].id(), docs[v].updatedAt(), scores[v], model.spec())), false);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot serialize a prediction", e);
            }
        }
    }

    /** The line's document, or null after recording why it is rejected. */
    private static Document parse(String line, Outcome[] outcomes, int i) {
        Document doc;
        try {
            doc = Json.MAPPER.readValue(line, Document.class);
        } catch (JsonProcessingException e) {
            outcomes[i] = reject(null, line, "not a valid input record: " + e.getOriginalMessage());
            return null;
        }
        if (doc.id() == null) {
            outcomes[i] = reject(null, line, "input record without an id");
            return null;
        }
        return doc;
    }

    private static Outcome reject(String id, String line, String reason) {
        ObjectNode record = Json.MAPPER.createObjectNode();
        if (id != null) record.put("id", id);
        record.put("job", "predict").put("reason", reason);
        try {
            record.set("document", Json.MAPPER.readTree(line));
        } catch (JsonProcessingException e) {
            record.put("document", line);
        }
        return new Outcome(record.toString(), true);
    }
}
