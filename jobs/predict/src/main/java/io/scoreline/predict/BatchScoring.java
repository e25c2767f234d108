package io.scoreline.predict;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scoreline.core.records.Json;
import io.scoreline.core.records.NdjsonReader;
import io.scoreline.core.records.NdjsonWriter;
import io.scoreline.core.records.OutputFile;
import io.scoreline.core.run.Progress;
import io.scoreline.core.spill.LineSpool;
import io.scoreline.core.store.ObjectStore;
import io.scoreline.model.LoadedModel;
import java.util.ArrayDeque;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.zip.Deflater;

/**
 * Scores an input file chunk by chunk: parsing, vectorizing, scoring (the scorer's batch method, one slice of a chunk
 * per task) and serializing run on every core while the next chunk is read and the previous one written; reading and
 * writing stay sequential so the output keeps the input's id order. At most three chunks are in memory, as raw lines
 * (their buffers reused). Rejected documents are kept, with the reason, in a temporary file.
 */
final class BatchScoring {
    private static final int CHUNK = 8192;
    /** Rows per scoring task: enough for a batch scorer to amortize its tree walks, small enough to share the cores. */
    private static final int SLICE = 512;
    private final SliceScoring slices;
    private final ForkJoinPool pool;
    private final Progress progress;
    private final LineSpool rejected;
    private final ArrayDeque<LineChunk> free = new ArrayDeque<>();
    private long read;
    private String inputSha256;

    /** Rejected documents go to {@code rejected}, on disk: a run whose every document is rejected holds none of them. */
    BatchScoring(LoadedModel model, ForkJoinPool pool, Progress progress, LineSpool rejected) {
        this.slices = new SliceScoring(model);
        this.rejected = rejected;
        this.progress = progress;
        this.pool = pool;
    }

    private record Pending(LineChunk chunk, Future<ScoredSlice[]> scoring) {}

    OutputFile run(ObjectStore store, String inputKey, String outputKey) {
        // gzip's fastest level: publish reads this file once and compresses what the backend reads at the default level;
        // compressing costs a third of the default's CPU for an output about 9% bigger (docs/benchmarks.md)
        return NdjsonWriter.write(store, outputKey, Deflater.BEST_SPEED, out -> {
            try (NdjsonReader in = new NdjsonReader(store, inputKey)) {
                Pending pending = null;
                LineChunk chunk;
                while ((chunk = next(in)).size() > 0) {
                    Pending scoring = new Pending(chunk, submit(chunk));
                    if (pending != null) write(pending, out);
                    pending = scoring;
                }
                if (pending != null) write(pending, out);
                inputSha256 = in.sha256();
            }
        });
    }

    /** Advances to the next readable line; one that is not valid UTF-8 is rejected here (its id cannot be trusted). */
    private boolean advanceOrReject(NdjsonReader in) {
        while (true) {
            try {
                return in.advance();
            } catch (NdjsonReader.InvalidLine e) {
                ObjectNode record = Json.MAPPER.createObjectNode().put("job", "predict").put("reason", e.getMessage());
                rejected.add(record.put("document", e.lossyText()).toString().getBytes(StandardCharsets.UTF_8));
                read++;
            }
        }
    }

    long read() {
        return read;
    }

    String inputSha256() {
        return inputSha256;
    }

    private LineChunk next(NdjsonReader in) {
        LineChunk chunk = free.isEmpty() ? new LineChunk(CHUNK) : free.pop();
        chunk.clear();
        while (!chunk.full() && advanceOrReject(in)) chunk.add(in.bytes(), in.length());
        if (chunk.size() == 0) free.push(chunk);
        return chunk;
    }

    private Future<ScoredSlice[]> submit(LineChunk chunk) {
        int size = chunk.size(), count = (size + SLICE - 1) / SLICE;
        ScoredSlice[] scored = new ScoredSlice[count];
        return pool.submit(() -> {
            IntStream.range(0, count).parallel()
                .forEach(s -> scored[s] = slices.score(chunk, s * SLICE, Math.min(size, (s + 1) * SLICE)));
            return scored;
        });
    }

    private void write(Pending pending, NdjsonWriter out) {
        int lines = 0;
        for (ScoredSlice slice : finished(pending.scoring())) {
            slice.writeTo(out, rejected);
            lines += slice.size();
        }
        free.push(pending.chunk());
        read += lines;
        progress.add(lines);
    }

    private static ScoredSlice[] finished(Future<ScoredSlice[]> scoring) {
        try {
            return scoring.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while scoring", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }
}
