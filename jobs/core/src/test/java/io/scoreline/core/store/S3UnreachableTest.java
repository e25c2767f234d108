package io.scoreline.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoreline.core.error.ExitCode;
import java.io.IOException;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** No server needed: a closed loopback port, with the production retry and timeout settings. */
class S3UnreachableTest {
    @Test
    void aClosedPortFailsWithExitCode4AndNamesTheEndpoint() throws IOException {
        URI endpoint = URI.create("http://127.0.0.1:" + S3TestServer.closedPort());
        var settings = new S3Settings("us-east-1", endpoint, true, S3Encryption.NONE);
        long start = System.nanoTime();
        try (S3Store store = new S3Store(S3TestServer.client(settings, S3Limits.DEFAULTS),
                 S3Location.parse("s3://bucket/prefix"), S3Encryption.NONE, S3Limits.DEFAULTS)) {
            var failure = assertThrows(StoreException.class, () -> store.read("latest/manifest.json", 100));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(ExitCode.STORE_UNAVAILABLE, failure.exitCode());
            assertTrue(failure.getMessage().startsWith("cannot reach the S3 endpoint " + endpoint
                + " to read 'latest/manifest.json' in s3://bucket/prefix/ ("), failure.getMessage());
            assertTrue(millis < 10_000, "5 attempts with backoff took " + millis + " ms");
        }
    }

}
