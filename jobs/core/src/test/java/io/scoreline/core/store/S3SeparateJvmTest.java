package io.scoreline.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link StoreProbe} as its own JVM: the only way to pin a small heap, and to give the SDK environment variables
 * (it reads them from the process, not from the env map the jobs pass around).
 */
class S3SeparateJvmTest {
    private static final long ONE_GIB = 1L << 30;
    private final String prefix = "jvm/" + UUID.randomUUID() + "/";
    @TempDir Path home;

    @Test
    void aOneGibWriteStreamsThroughA64MibHeap() throws Exception {
        String endpoint = S3TestServer.endpoint().toString();
        try {
            var run = probe(List.of("-Xmx64m"), Map.of(), "--store", store(), "--s3-endpoint", endpoint,
                "--s3-path-style", "--s3-region", "us-east-1", "--write-bytes", Long.toString(ONE_GIB));
            assertEquals(0, run.exit(), run.err());
            assertTrue(run.out().contains("wrote " + ONE_GIB + " bytes"), run.out());
            assertTrue(run.out().contains("exists true"), run.out());
            System.out.println("1 GiB write with -Xmx64m: " + run.out().lines().filter(l -> l.startsWith("wrote")).findFirst().orElseThrow());
        } finally {
            try (var s3 = S3TestServer.client()) {
                S3TestServer.deleteAll(s3, prefix);
            }
        }
    }

    /** The SDK reads these itself; the endpoint they name must also show up in error messages. */
    @ParameterizedTest
    @ValueSource(strings = {"AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"})
    void theSdkEndpointVariablesAreHonoured(String variable) throws Exception {
        String endpoint = S3TestServer.endpoint().toString();
        var run = probe(List.of(), Map.of(variable, endpoint, "SCORELINE_STORE", store(), "SCORELINE_S3_PATH_STYLE", "true"),
            "--write-bytes", "10");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("exists true"), run.out());

        String closed = "http://127.0.0.1:" + S3TestServer.closedPort();
        var unreachable = probe(List.of(), Map.of(variable, closed, "SCORELINE_STORE", store(),
            "SCORELINE_S3_PATH_STYLE", "true"), "--write-bytes", "10");
        assertEquals(4, unreachable.exit(), unreachable.err());
        assertTrue(unreachable.err().contains("cannot reach the S3 endpoint " + closed), unreachable.err());
        assertEquals(1, unreachable.err().strip().lines().count(), unreachable.err());
    }

    private String store() {
        return "s3://" + S3TestServer.bucket() + "/" + prefix;
    }

    record Run(int exit, String out, String err) {}

    private Run probe(List<String> jvmOptions, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), StoreProbe.class.getName()));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command);
        // a clean environment: nothing from the developer's AWS setup, only what the test gives
        builder.environment().clear();
        builder.environment().putAll(Map.of("HOME", home.toString(), "AWS_REGION", "us-east-1",
            "AWS_ACCESS_KEY_ID", S3TestServer.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", S3TestServer.SECRET_KEY,
            "AWS_EC2_METADATA_DISABLED", "true"));
        builder.environment().putAll(env);
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the probe JVM took more than 120 s");
        }
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
    }

}
