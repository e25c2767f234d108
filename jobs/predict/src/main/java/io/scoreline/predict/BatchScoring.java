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
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores an input file chunk by chunk: parsing, vectorizing, scoring and serializing run on every core; reading and
 * writing stay sequential so the output keeps the input's id order. Rejected documents are kept, with the reason.
 */
final class BatchScoring {
    private static final int CHUNK = 8192;
    private final Logger log = LoggerFactory.getLogger(BatchScoring.class);
    private final LoadedModel model;
    private final Vectorizer vectorizer;
    private final ForkJoinPool pool;
    private final List<String> rejected = new ArrayList<>();
    private long read;
    private String inputSha256;

    BatchScoring(LoadedModel model, ForkJoinPool pool) {
        this.model = model;
        this.vectorizer = model.vectorizer();
        this.pool = pool;
    }

    /** A scored line, or a rejected record when {@code rejected} is true. */
    private record Outcome(String line, boolean rejected) {}

    OutputFile run(ObjectStore store, String inputKey, String outputKey) {
        Progress progress = new Progress(log, "documents scored", 200_000);
        return NdjsonWriter.write(store, outputKey, out -> {
            try (NdjsonReader in = new NdjsonReader(store, inputKey)) {
                List<String> chunk = new ArrayList<>(CHUNK);
                for (String line; (line = nextOrReject(in)) != null; ) {
                    chunk.add(line);
                    if (chunk.size() == CHUNK) flush(chunk, out, progress);
                }
                flush(chunk, out, progress);
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

    private void flush(List<String> chunk, NdjsonWriter out, Progress progress) {
        if (chunk.isEmpty()) return;
        Outcome[] outcomes = new Outcome[chunk.size()];
        try {
            pool.submit(() -> IntStream.range(0, outcomes.length).parallel()
                .forEach(i -> outcomes[i] = score(chunk.get(i)))).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while scoring", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
        for (Outcome o : outcomes) {
            if (o.rejected()) rejected.add(o.line());
            else out.writeRaw(o.line());
        }
        read += chunk.size();
        progress.add(chunk.size());
        chunk.clear();
    }

    private Outcome score(String line) {
        Document doc;
        try {
            doc = Json.MAPPER.readValue(line, Document.class);
        } catch (JsonProcessingException e) {
            return reject(null, line, "not a valid input record: " + e.getOriginalMessage());
        }
        if (doc.id() == null) return reject(null, line, "input record without an id");
        try {
            Score score = model.scorer().score(vectorizer.row(doc.features()));
            if (!score.isFinite()) return reject(doc.id(), line, "the model returned a non-finite score");
            return new Outcome(Json.MAPPER.writeValueAsString(PredictionRecord.of(doc.id(), doc.updatedAt(), score, model.spec())), false);
        } catch (Vectorizer.InvalidFeature e) {
            return reject(doc.id(), line, e.getMessage());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a prediction", e);
        }
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
