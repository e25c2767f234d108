package io.scoreline.core.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.scoreline.core.error.ExitCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An object becomes visible only whole: a write that fails midway leaves the old object (or none) and no temp file. */
class FileStoreAtomicWriteTest {
    @TempDir Path root;

    private static void writeHalfThenFail(java.io.OutputStream out, RuntimeException failure) throws IOException {
        out.write(new byte[200_000]); // more than the store's buffer, so bytes reach the temp file
        throw failure;
    }

    private List<Path> allFiles() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals(".scoreline.lock")).toList();
        }
    }

    @Test
    void failedFirstWriteLeavesNoObjectAndNoTempFile() throws IOException {
        FileStore store = new FileStore(root);
        IllegalStateException failure = new IllegalStateException("source died");
        var thrown = assertThrows(IllegalStateException.class, () -> store.write("runs/r1/input.ndjson.gz", out -> writeHalfThenFail(out, failure)));
        assertSame(failure, thrown);
        assertFalse(store.exists("runs/r1/input.ndjson.gz"));
        assertEquals(List.of(), store.list(""));
        assertEquals(List.of(), allFiles());
    }

    @Test
    void failedOverwriteKeepsTheOldObject() throws IOException {
        FileStore store = new FileStore(root);
        store.put("latest/predictions.ndjson.gz", "old".getBytes(UTF_8), Precondition.NONE);
        assertThrows(IllegalStateException.class,
            () -> store.write("latest/predictions.ndjson.gz", out -> writeHalfThenFail(out, new IllegalStateException("x"))));
        assertArrayEquals("old".getBytes(UTF_8), store.read("latest/predictions.ndjson.gz", 100).orElseThrow().bytes());
        assertEquals(List.of(root.resolve("latest/predictions.ndjson.gz")), allFiles());
    }

    @Test
    void ioFailureInTheBodyIsAStoreFailure() throws IOException {
        FileStore store = new FileStore(root);
        StoreException e = assertThrows(StoreException.class, () -> store.write("a/b", out -> {
            out.write(1);
            throw new IOException("disk full");
        }));
        assertEquals(ExitCode.STORE_UNAVAILABLE, e.exitCode());
        assertFalse(store.exists("a/b"));
        assertEquals(List.of(), allFiles());
    }

    @Test
    void writeReportsSizeAndSha256OfTheStoredBytes() throws IOException {
        FileStore store = new FileStore(root);
        byte[] bytes = "hello\n".getBytes(UTF_8);
        var stored = store.write("a/b.txt", out -> out.write(bytes));
        assertEquals(new ObjectStore.StoredObject("a/b.txt", 6, Digests.sha256Hex(bytes)), stored);
        assertArrayEquals(bytes, Files.readAllBytes(root.resolve("a/b.txt")));
        assertEquals(stored.etag(), store.read("a/b.txt", 100).orElseThrow().etag());
    }

    @Test
    void leftoverTempFilesAreNotListed() throws IOException {
        FileStore store = new FileStore(root);
        store.put("runs/r1/input.ndjson.gz", new byte[] {1}, Precondition.NONE);
        Files.write(root.resolve("runs/r1/.tmp-input.ndjson.gz-0000"), new byte[] {2}); // as a killed writer leaves it
        assertEquals(List.of("runs/r1/input.ndjson.gz"), store.list("runs/"));
    }
}
