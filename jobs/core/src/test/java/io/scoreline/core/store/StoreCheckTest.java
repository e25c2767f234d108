package io.scoreline.core.store;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoreline.core.error.ExitCode;
import io.scoreline.core.error.JobException;
import io.scoreline.core.store.ObjectStore.Use;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store that cannot serve a job is found before the job works: exit 2 for what the user must fix, 4 for an outage. */
class StoreCheckTest {
    @TempDir Path dir;

    @Test
    void aMissingDirectoryIsAConfigurationErrorExceptForCreate() {
        var store = new FileStore(dir.resolve("missing"));
        for (Use use : new Use[] {Use.READ, Use.WRITE}) {
            var e = assertThrows(JobException.class, () -> store.check(use));
            assertEquals(ExitCode.USAGE, e.exitCode());
            assertEquals("store " + dir.resolve("missing").toUri() + " does not exist: check --store (SCORELINE_STORE);"
                + " 'predict.jar register' creates a new store", e.getMessage());
        }
        assertTrue(!Files.exists(dir.resolve("missing")));
        store.check(Use.CREATE);
        assertTrue(Files.isDirectory(dir.resolve("missing")));
        assertDoesNotThrow(() -> store.check(Use.WRITE));
    }

    @Test
    void aFileIsNotAStore() throws IOException {
        Path file = Files.writeString(dir.resolve("store.txt"), "x");
        var e = assertThrows(JobException.class, () -> new FileStore(file).check(Use.CREATE));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().endsWith(" is not a directory: check --store (SCORELINE_STORE)"), e.getMessage());
    }

    @Test
    void aMissingBucketIsAConfigurationError() {
        try (S3Store store = S3TestServer.store("no-such-bucket-" + System.nanoTime(), "p", S3TestServer.SMALL)) {
            var e = assertThrows(JobException.class, () -> store.check(Use.READ));
            assertEquals(ExitCode.USAGE, e.exitCode(), e.getMessage());
            assertTrue(e.getMessage().matches("bucket 'no-such-bucket-\\d+' at \\S+ does not exist: create it or fix --store"
                + " \\(SCORELINE_STORE\\)"), e.getMessage());
        }
    }

    @Test
    void anExistingBucketPasses() {
        try (S3Store store = S3TestServer.store(S3TestServer.bucket(), "check-" + System.nanoTime(), S3TestServer.SMALL)) {
            assertDoesNotThrow(() -> store.check(Use.WRITE));
        }
    }

    @Test
    void anUnreachableEndpointIsAnOutage() throws IOException {
        URI endpoint = URI.create("http://127.0.0.1:" + S3TestServer.closedPort());
        try (S3Store store = new S3Store(S3TestServer.client(S3TestServer.settings(endpoint), S3TestServer.SMALL),
                 S3Location.parse("s3://bucket/prefix"), S3Encryption.NONE, S3TestServer.SMALL)) {
            var e = assertThrows(JobException.class, () -> store.check(Use.READ));
            assertEquals(ExitCode.STORE_UNAVAILABLE, e.exitCode());
            assertEquals("cannot reach s3://bucket/prefix/ at the S3 endpoint " + endpoint + " (connection refused);"
                + " check --s3-endpoint, AWS_ENDPOINT_URL_S3 and the network", e.getMessage());
        }
    }
}
