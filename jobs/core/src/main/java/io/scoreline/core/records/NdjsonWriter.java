package io.scoreline.core.records;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.scoreline.core.store.Digests;
import io.scoreline.core.store.ObjectStore;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.zip.Deflater;

/**
 * Streams records as gzip NDJSON, counting them and hashing the compressed bytes as they go (or taking the store's
 * hash of them, where its etag is their sha256).
 */
public final class NdjsonWriter {
    private final OutputStream out;
    private final JsonGenerator generator;
    private long records;

    private NdjsonWriter(OutputStream out) throws IOException {
        this.out = out;
        this.generator = Json.MAPPER.createGenerator(out);
        generator.setRootValueSeparator(null);
        // flush() then only hands the generator's buffer on, so raw byte lines can follow it in order
        generator.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
    }

    /**
     * gzip level 3 for what the backend reads: on predictions it costs 40 % of level 6's CPU for a file 7 % bigger
     * (bench/GzipLevels.java); deflate at level 6 was most of a small cycle's publish, which rewrites the whole snapshot.
     */
    static final int DEFAULT_LEVEL = 3;

    /** Writes one gzip NDJSON object whole; {@code body} receives the writer. */
    public static OutputFile write(ObjectStore store, String key, RecordBody body) {
        return write(store, key, DEFAULT_LEVEL, body);
    }

    /**
     * The same with a gzip level: {@link Deflater#BEST_SPEED} suits intermediate files that one job writes and the
     * next reads once.
     */
    public static OutputFile write(ObjectStore store, String key, int level, RecordBody body) {
        MessageDigest digest = store.etagIsSha256() ? null : Digests.sha256();
        long[] counts = new long[2];
        var stored = store.write(key, raw -> {
            if (digest != null) digest.reset();  // the store may call again to retry
            var counting = new CountingStream(digest == null ? raw : new DigestOutputStream(raw, digest));
            var gzip = new ParallelGzipOutputStream(counting, level);
            try {
                var writer = new NdjsonWriter(gzip);
                body.writeTo(writer);
                writer.generator.flush();
                gzip.finish();
                counts[0] = writer.records;
            } finally {
                gzip.close();
            }
            counts[1] = counting.count;
        });
        return new OutputFile(key, counts[0], counts[1], digest == null ? stored.etag() : Digests.hex(digest.digest()));
    }

    public void write(Object record) {
        try {
            if (record instanceof JsonNode node) Json.MAPPER.writeTree(generator, node);
            else Json.MAPPER.writeValue(generator, record);
            generator.writeRaw('\n');
            records++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a line that is already serialized JSON (no trailing newline). */
    public void writeRaw(String jsonLine) {
        try {
            generator.writeRaw(jsonLine);
            generator.writeRaw('\n');
            records++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a line that is already serialized UTF-8 JSON (no trailing newline). */
    public void writeRaw(byte[] jsonLine) {
        writeRaw(jsonLine, jsonLine.length);
    }

    /** Writes {@code jsonLine[0, length)}, a line that is already serialized UTF-8 JSON (no trailing newline). */
    public void writeRaw(byte[] jsonLine, int length) {
        writeRaw(jsonLine, 0, length);
    }

    /** Writes {@code bytes[offset, offset + length)}, a line that is already serialized UTF-8 JSON (no trailing newline). */
    public void writeRaw(byte[] bytes, int offset, int length) {
        try {
            generator.flush();
            out.write(bytes, offset, length);
            out.write('\n');
            records++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes {@code count} lines that are already serialized UTF-8 JSON, each ending with its newline, from
     * {@code lines[offset, offset + length)}: a block of lines in one call.
     */
    public void writeLines(byte[] lines, int offset, int length, int count) {
        try {
            generator.flush();
            out.write(lines, offset, length);
            records += count;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long records() {
        return records;
    }

    @FunctionalInterface
    public interface RecordBody {
        void writeTo(NdjsonWriter writer) throws IOException;
    }

    private static final class CountingStream extends FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void close() {
            // the store owns and closes the underlying stream
        }
    }
}
