package io.scoreline.core.records;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.scoreline.core.store.FileStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lines found eight bytes at a time are the lines a byte-by-byte split finds, wherever the newlines fall in a word or
 * a read; and the reader's blank and UTF-8 checks, also made on words, say what a decoded String says.
 */
class LineSplittingTest {
    private static final byte[] ALPHABET = "ab{\"}: \t\r\u000b\u001c\n".getBytes(StandardCharsets.ISO_8859_1);
    @TempDir Path root;

    @Test
    void byteLinesSplitWhereAByteByByteSplitDoes() throws IOException {
        var random = new Random(11);
        for (int round = 0; round < 300; round++) {
            byte[] data = randomBytes(random, random.nextInt(3000));
            List<String> expected = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < data.length; i++) {
                if (data[i] == '\n') {
                    expected.add(new String(data, start, i - start, StandardCharsets.ISO_8859_1));
                    start = i + 1;
                }
            }
            if (start < data.length) expected.add(new String(data, start, data.length - start, StandardCharsets.ISO_8859_1));
            var lines = new ByteLines(new Trickle(data, random), Integer.MAX_VALUE);
            List<String> actual = new ArrayList<>();
            while (lines.next()) actual.add(new String(lines.bytes(), 0, lines.length(), StandardCharsets.ISO_8859_1));
            assertEquals(expected, actual, "round " + round);
        }
    }

    @Test
    void theReaderSkipsBlankLinesAndRefusesInvalidUtf8AsTheDecoderDoes() {
        var random = new Random(12);
        var store = new FileStore(root);
        List<byte[]> lines = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            byte[] line = randomBytes(random, random.nextInt(40));
            for (int j = 0; j < line.length; j++) if (line[j] == '\n') line[j] = ' ';
            lines.add(line);
        }
        NdjsonWriter.write(store, "lines.ndjson.gz", w -> {
            for (byte[] line : lines) w.writeRaw(line);
        });
        try (var reader = new NdjsonReader(store, "lines.ndjson.gz")) {
            for (byte[] line : lines) {
                String decoded;
                try {
                    decoded = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(line)).toString();
                } catch (CharacterCodingException e) {
                    decoded = null;
                }
                if (decoded != null && decoded.isBlank()) continue;
                String expected = decoded == null ? "invalid" : decoded;
                String actual;
                try {
                    actual = reader.next();
                } catch (NdjsonReader.InvalidLine e) {
                    actual = "invalid";
                }
                assertEquals(expected, actual, Arrays.toString(line));
            }
            assertEquals(null, reader.next());
        }
    }

    /** Mostly ASCII from a small alphabet (whitespace and newlines included), now and then a UTF-8 or invalid byte. */
    private static byte[] randomBytes(Random random, int length) {
        var out = new ByteArrayOutputStream();
        while (out.size() < length) {
            switch (random.nextInt(40)) {
                case 0 -> out.writeBytes("é".getBytes(StandardCharsets.UTF_8));
                case 1 -> out.write(0x80 + random.nextInt(128));
                case 2 -> out.write(0x0A ^ 0x80);
                default -> out.write(ALPHABET[random.nextInt(random.nextInt(ALPHABET.length) + 1)]);
            }
        }
        return out.toByteArray();
    }

    /** Hands the bytes out in reads of random sizes, as a gzip stream does. */
    private static final class Trickle extends InputStream {
        private final ByteArrayInputStream in;
        private final Random random;

        Trickle(byte[] data, Random random) {
            this.in = new ByteArrayInputStream(data);
            this.random = random;
        }

        @Override
        public int read() {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return in.read(b, off, Math.min(len, 1 + random.nextInt(20)));
        }
    }
}
