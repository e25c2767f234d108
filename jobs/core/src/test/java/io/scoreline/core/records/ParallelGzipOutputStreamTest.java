package io.scoreline.core.records;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Blocks compressed in parallel must read back as the one stream that was written, in order, byte for byte. */
class ParallelGzipOutputStreamTest {
    private static final int B = ParallelGzipOutputStream.BLOCK;

    /** Compressible but not trivial: lines of random digits, like NDJSON (the member reader's test reads them too). */
    static byte[] input(int size) {
        var random = new Random(size);
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) bytes[i] = i % 80 == 79 ? (byte) '\n' : (byte) ('0' + random.nextInt(10));
        return bytes;
    }

    private static byte[] compress(byte[] input, int chunk) throws IOException {
        var out = new ByteArrayOutputStream();
        var gzip = new ParallelGzipOutputStream(out, Deflater.BEST_SPEED);
        try (gzip) {
            for (int off = 0; off < input.length; off += chunk) gzip.write(input, off, Math.min(chunk, input.length - off));
            gzip.finish();
        }
        return out.toByteArray();
    }

    private static byte[] gunzip(byte[] gz) throws IOException {
        try (var in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 1000, B - 1, B, B + 1, 5 * B + B / 2, 20 * B})
    void readsBackAsWritten(int size) throws IOException {
        byte[] input = input(size);
        assertArrayEquals(input, gunzip(compress(input, 7919)));  // a write size that straddles block ends
    }

    @Test
    void sameBytesInSameOutWhateverTheWriteSizes() throws IOException {
        byte[] input = input(3 * B + 17);
        assertArrayEquals(compress(input, 1 << 16), compress(input, 13));
    }

    @Test
    void singleByteWritesToo() throws IOException {
        byte[] input = input(B + 3);
        var out = new ByteArrayOutputStream();
        try (var gzip = new ParallelGzipOutputStream(out, Deflater.DEFAULT_COMPRESSION)) {
            for (byte b : input) gzip.write(b);
            gzip.finish();
        }
        assertArrayEquals(input, gunzip(out.toByteArray()));
    }

    @Test
    void aFailingDestinationFailsTheWrite() {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("disk full");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("disk full");
            }
        };
        IOException e = assertThrows(IOException.class, () -> {
            try (var gzip = new ParallelGzipOutputStream(broken, Deflater.BEST_SPEED)) {
                gzip.write(input(2 * B));
                gzip.finish();
            }
        });
        assertEquals("disk full", e.getMessage());
    }
}
