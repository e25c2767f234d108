package io.scoreline.core.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.scoreline.core.error.ExitCode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Conditional writes, as S3's If-None-Match: * and If-Match: etag. */
class FileStorePreconditionTest {
    private static final String KEY = "latest/manifest.json";
    @TempDir Path root;

    private byte[] current(FileStore store) {
        return store.read(KEY, 1000).orElseThrow().bytes();
    }

    @Test
    void absentCreatesOnceThenFails() {
        FileStore store = new FileStore(root);
        store.put(KEY, "first".getBytes(UTF_8), Precondition.ABSENT);
        var e = assertThrows(PreconditionFailedException.class, () -> store.put(KEY, "second".getBytes(UTF_8), Precondition.ABSENT));
        assertEquals(ExitCode.STORE_UNAVAILABLE, e.exitCode());
        assertArrayEquals("first".getBytes(UTF_8), current(store));
    }

    @Test
    void matchingTheCurrentEtagReplaces() {
        FileStore store = new FileStore(root);
        var first = store.put(KEY, "first".getBytes(UTF_8), Precondition.NONE);
        assertEquals(first.etag(), store.read(KEY, 1000).orElseThrow().etag());
        var second = store.put(KEY, "second".getBytes(UTF_8), Precondition.matching(first.etag()));
        assertArrayEquals("second".getBytes(UTF_8), current(store));
        assertEquals(Digests.sha256Hex("second".getBytes(UTF_8)), second.etag());
    }

    @Test
    void staleEtagFailsAndKeepsTheNewerObject() {
        FileStore store = new FileStore(root);
        String stale = store.put(KEY, "first".getBytes(UTF_8), Precondition.NONE).etag();
        store.put(KEY, "someone else".getBytes(UTF_8), Precondition.matching(stale));
        assertThrows(PreconditionFailedException.class, () -> store.put(KEY, "mine".getBytes(UTF_8), Precondition.matching(stale)));
        assertArrayEquals("someone else".getBytes(UTF_8), current(store));
    }

    @Test
    void matchingAnEtagFailsWhenTheObjectIsGone() {
        FileStore store = new FileStore(root);
        assertThrows(PreconditionFailedException.class, () -> store.put(KEY, new byte[] {1}, Precondition.matching("abc")));
    }

    @Test
    void matchingNullMeansAbsent() {
        assertEquals(Precondition.ABSENT, Precondition.matching(null));
        FileStore store = new FileStore(root);
        store.put(KEY, new byte[] {1}, Precondition.matching(null));
        assertThrows(PreconditionFailedException.class, () -> store.put(KEY, new byte[] {2}, Precondition.matching(null)));
    }
}
