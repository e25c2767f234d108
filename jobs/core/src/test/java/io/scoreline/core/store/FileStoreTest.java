package io.scoreline.core.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.scoreline.core.error.ExitCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads, copies and listings of the file store. */
class FileStoreTest {
    @TempDir Path root;

    @Test
    void listIsSortedAndFilteredByPrefix() {
        FileStore store = new FileStore(root);
        for (String key : List.of("runs/r2/input.ndjson.gz", "runs/r10/input.ndjson.gz", "latest/manifest.json", "runs/r1/fetch.json",
            "runs/r1/input.ndjson.gz")) {
            store.put(key, new byte[] {1}, Precondition.NONE);
        }
        assertEquals(List.of("runs/r1/fetch.json", "runs/r1/input.ndjson.gz", "runs/r10/input.ndjson.gz", "runs/r2/input.ndjson.gz"),
            store.list("runs/"));
        assertEquals(List.of("runs/r1/fetch.json", "runs/r1/input.ndjson.gz", "runs/r10/input.ndjson.gz"), store.list("runs/r1"));
        assertEquals(5, store.list("").size());
        assertEquals(List.of(), store.list("models/"));
    }

    @Test
    void listOfAMissingRootIsEmpty() {
        assertEquals(List.of(), new FileStore(root.resolve("not-yet")).list(""));
    }

    @Test
    void copyDuplicatesTheBytes() {
        FileStore store = new FileStore(root);
        var source = store.put("runs/r1/snapshot.ndjson.gz", "snapshot".getBytes(UTF_8), Precondition.NONE);
        var copy = store.copy("runs/r1/snapshot.ndjson.gz", "latest/predictions.ndjson.gz");
        assertEquals(source.etag(), copy.etag());
        assertEquals(8, copy.size());
        assertArrayEquals("snapshot".getBytes(UTF_8), store.read("latest/predictions.ndjson.gz", 100).orElseThrow().bytes());
        assertTrue(store.exists("runs/r1/snapshot.ndjson.gz"));
    }

    @Test
    void copyIsASecondNameForTheSameFileWhereLinksWork() throws IOException {
        FileStore store = new FileStore(root);
        store.put("runs/r1/snapshot.ndjson.gz", "snapshot".getBytes(UTF_8), Precondition.NONE);
        store.copy("runs/r1/snapshot.ndjson.gz", "latest/predictions.ndjson.gz");
        assertTrue(Files.isSameFile(root.resolve("runs/r1/snapshot.ndjson.gz"), root.resolve("latest/predictions.ndjson.gz")));
    }

    /** latest/ on another file system (a link to /dev/shm here): no hard link across devices, so the bytes are copied. */
    @Test
    void copyToAnotherFileSystemWritesTheBytes() throws IOException {
        Path shm = Path.of("/dev/shm");
        assumeTrue(Files.isDirectory(shm) && !Files.getFileStore(shm).equals(Files.getFileStore(root)), "no second file system");
        Path elsewhere = Files.createTempDirectory(shm, "scoreline-filestore-");
        try {
            Files.createSymbolicLink(root.resolve("latest"), elsewhere);
            FileStore store = new FileStore(root);
            var source = store.put("runs/r1/snapshot.ndjson.gz", "snapshot".getBytes(UTF_8), Precondition.NONE);
            var copy = store.copy("runs/r1/snapshot.ndjson.gz", "latest/predictions.ndjson.gz");
            assertEquals(source.etag(), copy.etag());
            assertArrayEquals("snapshot".getBytes(UTF_8), Files.readAllBytes(elsewhere.resolve("predictions.ndjson.gz")));
            store.put("runs/r1/snapshot.ndjson.gz", "rewritten".getBytes(UTF_8), Precondition.NONE);
            assertArrayEquals("snapshot".getBytes(UTF_8), store.read("latest/predictions.ndjson.gz", 100).orElseThrow().bytes());
            try (var left = Files.list(elsewhere)) {
                assertEquals(List.of(elsewhere.resolve("predictions.ndjson.gz")), left.toList(), "no temporary file left");
            }
        } finally {
            try (var files = Files.list(elsewhere)) {
                for (Path f : files.toList()) Files.delete(f);
            }
            Files.delete(elsewhere);
        }
    }

    @Test
    void anEtagIsTheSha256OfTheBytesAsItSays() {
        FileStore store = new FileStore(root);
        byte[] bytes = "snapshot".getBytes(UTF_8);
        assertTrue(store.etagIsSha256());
        assertEquals(Digests.sha256Hex(bytes), store.write("runs/r1/snapshot.ndjson.gz", out -> out.write(bytes)).etag());
        assertEquals(Digests.sha256Hex(bytes), store.copy("runs/r1/snapshot.ndjson.gz", "latest/predictions.ndjson.gz").etag());
        assertEquals(Digests.sha256Hex(bytes), store.copy("runs/r1/snapshot.ndjson.gz", "latest/copy.ndjson.gz", Digests.sha256Hex(bytes)).etag());
    }

    @Test
    void copyOfAMissingObjectIsNotFound() {
        FileStore store = new FileStore(root);
        var e = assertThrows(ObjectNotFoundException.class, () -> store.copy("runs/r1/nothing", "latest/x"));
        assertEquals("runs/r1/nothing", e.key());
        assertFalse(store.exists("latest/x"));
    }

    @Test
    void readOfAMissingObjectIsEmptyAndOpenIsNotFound() {
        FileStore store = new FileStore(root);
        assertEquals(Optional.empty(), store.read("state/watermark.json", 100));
        assertThrows(ObjectNotFoundException.class, () -> store.open("state/watermark.json"));
    }

    @Test
    void openStreamsTheBytes() throws IOException {
        FileStore store = new FileStore(root);
        store.put("a/b", "abc".getBytes(UTF_8), Precondition.NONE);
        try (InputStream in = store.open("a/b")) {
            assertArrayEquals("abc".getBytes(UTF_8), in.readAllBytes());
        }
    }

    @Test
    void readRefusesObjectsOverTheLimit() {
        FileStore store = new FileStore(root);
        store.put("models/m/v1/model.smile", new byte[101], Precondition.NONE);
        assertEquals(101, store.read("models/m/v1/model.smile", 101).orElseThrow().bytes().length);
        var e = assertThrows(StoreException.class, () -> store.read("models/m/v1/model.smile", 100));
        assertTrue(e.getMessage().contains("101 bytes, more than the limit of 100"), e.getMessage());
    }

    @Test
    void describeIsTheRootUri() {
        assertEquals(root.toUri().toString(), new FileStore(root).describe());
        assertEquals(ExitCode.STORE_UNAVAILABLE, new StoreException("x", null).exitCode());
    }
}
