package io.scoreline.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.scoreline.core.error.ExitCode;
import io.scoreline.core.error.JobException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Keys are relative and slash-separated; none can reach outside the store's root. */
class FileStoreKeysTest {
    @TempDir Path dir;

    private static void assertUsageError(String key, Executable action) {
        JobException e = assertThrows(JobException.class, action, key);
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertEquals("invalid store key '" + key + "'", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "/abs", "/etc/passwd", "a/../../x", "a/..", "..", "a/./b", "./a", "a//b", "a/", "", "a\\b", "..\\x"})
    void keysThatClimbOutOrAreNotCanonicalAreRefused(String key) {
        FileStore store = new FileStore(dir.resolve("store"));
        store.put("ok", new byte[] {1}, Precondition.NONE);
        assertUsageError(key, () -> store.put(key, new byte[] {1}, Precondition.NONE));
        assertUsageError(key, () -> store.write(key, out -> out.write(1)));
        assertUsageError(key, () -> store.read(key, 10));
        assertUsageError(key, () -> store.open(key));
        assertUsageError(key, () -> store.exists(key));
        assertUsageError(key, () -> store.copy(key, "ok"));
        assertUsageError(key, () -> store.copy("ok", key));
        assertFalse(Files.exists(dir.resolve("x")));
    }

    @Test
    void nullKeyIsRefused() {
        FileStore store = new FileStore(dir);
        assertThrows(JobException.class, () -> store.read(null, 10));
    }

    @Test
    void dotsInsideNamesAreFine() {
        FileStore store = new FileStore(dir);
        store.put("runs/scheduled__2026-01-01T00:05:00+00:00/..x/a..b", new byte[] {1}, Precondition.NONE);
        assertEquals(java.util.List.of("runs/scheduled__2026-01-01T00:05:00+00:00/..x/a..b"), store.list("runs/"));
    }
}
