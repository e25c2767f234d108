package io.scoreline.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoreline.core.error.ExitCode;
import io.scoreline.core.error.JobException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** --store: a path or file:///dir opens a file store there; anything else is a usage error. */
class StoresTest {
    @TempDir Path dir;

    private void assertOpensAt(String uri, Path expected) {
        ObjectStore store = Stores.open(uri);
        assertInstanceOf(FileStore.class, store);
        assertEquals(expected.toUri().toString(), store.describe());
        store.put("a/b", new byte[] {7}, Precondition.NONE);
        assertTrue(Files.isRegularFile(expected.resolve("a/b")));
    }

    @Test
    void plainPath() {
        assertOpensAt(dir.resolve("store").toString(), dir.resolve("store"));
    }

    @Test
    void fileUriWithThreeSlashes() {
        assertOpensAt("file://" + dir.resolve("store"), dir.resolve("store"));
        assertEquals(dir.toUri().toString(), Stores.open(dir.toUri().toString()).describe());
    }

    @Test
    void fileUriWithOneSlash() {
        assertOpensAt("file:" + dir.resolve("store"), dir.resolve("store"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gs://bucket/prefix", "http://host/store", "hdfs://nn/x"})
    void unknownSchemeIsAUsageError(String uri) {
        JobException e = assertThrows(JobException.class, () -> Stores.open(uri));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("unknown scheme"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3:/bucket/prefix", "s3:bucket", "S3:/bucket/prefix", "http:/host/store"})
    void aUrlWithASlashMissingIsAUsageErrorNotARelativePath(String uri) {
        JobException e = assertThrows(JobException.class, () -> Stores.open(uri));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertEquals("--store '" + uri + "' is not a URL: a scheme is followed by '://'; give file:///dir, a path or"
            + " s3://bucket/prefix", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "file://host/dir", "gs://bucket/prefix"})
    void otherUnusableStoresAreUsageErrors(String uri) {
        JobException e = assertThrows(JobException.class, () -> Stores.open(uri));
        assertEquals(ExitCode.USAGE, e.exitCode());
    }

    @Test
    void nullIsAUsageError() {
        assertEquals(ExitCode.USAGE, assertThrows(JobException.class, () -> Stores.open(null)).exitCode());
    }
}
