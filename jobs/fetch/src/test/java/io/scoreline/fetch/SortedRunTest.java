package io.scoreline.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoreline.core.error.JobException;
import io.scoreline.core.spill.TempFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A spilled run reads back as written, lines longer than its buffers too; a file cut short is an error. */
class SortedRunTest {
    @TempDir Path root;

    private static Version version(long seconds, String line) {
        byte[] bytes = ("xx" + line + "yy").getBytes(StandardCharsets.UTF_8);
        return new Version(seconds, 7, bytes, 2, bytes.length - 4);  // an offset into a larger array, as the chunks hold
    }

    private static Path written(TempFiles temp, List<String> ids, List<Version> versions) {
        var writer = new SortedRun.Writer(temp);
        for (int i = 0; i < ids.size(); i++) writer.write(ids.get(i), versions.get(i));
        return writer.finish();
    }

    @Test
    void readsBackWhatWasWritten() throws Exception {
        String longLine = "{\"pad\":\"" + "é".repeat(100_000) + "\"}";  // 200 KB: longer than a buffer
        List<String> ids = List.of("a", "b-" + "ü".repeat(40_000), "c", "d");
        List<Version> versions = List.of(version(1, "{}"), version(2, longLine), version(-3, ""), version(4, "{\"x\":1}"));
        try (TempFiles temp = new TempFiles(root)) {
            Path run = written(temp, ids, versions);
            try (var reader = new SortedRun.Reader(temp, run)) {
                for (int i = 0; i < ids.size(); i++, reader.advance()) {
                    assertEquals(ids.get(i), reader.id());
                    Version expected = versions.get(i), read = reader.version();
                    assertEquals(expected.seconds(), read.seconds());
                    assertEquals(expected.nanos(), read.nanos());
                    assertArrayEquals(Arrays.copyOfRange(expected.bytes(), expected.offset(), expected.offset() + expected.length()),
                        Arrays.copyOfRange(read.bytes(), read.offset(), read.offset() + read.length()));
                }
                assertNull(reader.id());
            }
        }
    }

    @Test
    void aFileCutShortIsAnErrorNotAShorterRun() throws Exception {
        try (TempFiles temp = new TempFiles(root)) {
            Path run = written(temp, List.of("a", "b"), List.of(version(1, "{\"x\":1}"), version(2, "{\"y\":2}")));
            byte[] whole = Files.readAllBytes(run);
            for (int cut : new int[] {whole.length - 4, whole.length - 6, 3}) {
                Files.write(run, Arrays.copyOf(whole, cut));
                JobException e = assertThrows(JobException.class, () -> {
                    try (var reader = new SortedRun.Reader(temp, run)) {
                        while (reader.id() != null) reader.advance();
                    }
                });
                assertTrue(e.getMessage().contains("temporary files"), e.getMessage());
            }
        }
    }
}
