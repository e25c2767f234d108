package io.scoreline.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoreline.core.cli.EnvDefaults;
import io.scoreline.core.cli.JobRunner;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The --s3-* options: flags, SCORELINE_* variables, validation, and what --store s3:// opens. No server needed. */
class StoreOptionsTest {

    @Test
    void defaultsLeaveRegionAndEndpointToTheSdk() {
        assertEquals(S3Settings.DEFAULTS, parse(Map.of()).s3());
    }

    @Test
    void flagsSetEverySetting() {
        var options = parse(Map.of(), "--s3-region", "eu-west-1", "--s3-endpoint", "http://127.0.0.1:9000",
            "--s3-path-style", "--s3-sse", "aws:kms", "--s3-kms-key-id", "alias/scoreline");
        assertEquals(new S3Settings("eu-west-1", URI.create("http://127.0.0.1:9000"), true,
            new S3Encryption(SseMode.AWS_KMS, "alias/scoreline")), options.s3());
    }

    @Test
    void environmentVariablesSetThemTooAndFlagsWin() {
        var env = Map.of("SCORELINE_S3_REGION", "eu-central-1", "SCORELINE_S3_ENDPOINT", "https://minio.internal:9000",
            "SCORELINE_S3_PATH_STYLE", "true", "SCORELINE_S3_SSE", "AES256");
        assertEquals(new S3Settings("eu-central-1", URI.create("https://minio.internal:9000"), true,
            new S3Encryption(SseMode.AES256, null)), parse(env).s3());
        var overridden = parse(env, "--s3-path-style=false", "--s3-sse", "none", "--s3-region", "us-west-2");
        assertEquals(new S3Settings("us-west-2", URI.create("https://minio.internal:9000"), false, S3Encryption.NONE),
            overridden.s3());
    }

    @Test
    void anS3StoreDescribesItselfWithoutCredentials() {
        assertEquals("store s3://bucket/models/prod/", run(0, "--store", "s3://bucket/models/prod", "--s3-region", "us-east-1"));
        assertEquals("store s3://bucket/", run(0, "--store", "s3://bucket", "--s3-region", "us-east-1"));
        assertEquals("store s3://bucket/p/", run(0, "--store", "s3://bucket/p/", "--s3-region", "us-east-1"));
    }

    @Test
    void badSettingsAreUsageErrors() {
        assertTrue(run(2, "--store", "s3://bucket", "--s3-sse", "des").contains("'des' is not an SSE mode"));
        assertTrue(run(2, "--store", "s3://bucket", "--s3-region", "us-east-1", "--s3-kms-key-id", "k")
            .contains("--s3-kms-key-id needs --s3-sse aws:kms"));
        assertTrue(run(2, "--store", "s3://", "--s3-region", "us-east-1").contains("give s3://bucket or s3://bucket/prefix"));
        assertTrue(run(2, "--store", "s3://bucket/a/../b", "--s3-region", "us-east-1").contains("invalid store key"));
        assertTrue(run(2, "--store", "s3://bucket", "--s3-endpoint", "ftp://host").contains("--s3-endpoint must look like"));
    }

    @Test
    void secretsInAnEndpointOrStoreUriAreNotRepeated() {
        String endpointError = run(2, "--store", "s3://b", "--s3-endpoint", "http://key:hunter2@minio:9000");
        assertTrue(endpointError.contains("a URL with user info"), endpointError);
        assertFalse(endpointError.contains("hunter2"), endpointError);
        String storeError = run(2, "--store", "s3://key:hunter2@bucket/p", "--s3-region", "us-east-1");
        assertFalse(storeError.contains("hunter2"), storeError);
    }

    private static StoreOptions parse(Map<String, String> env, String... args) {
        var probe = new StoreProbe();
        new CommandLine(probe).setDefaultValueProvider(new EnvDefaults(env)).parseArgs(args);
        return probe.store;
    }

    /** Runs the probe in-process; returns stdout if it exits 0, else stderr. */
    private static String run(int expectedExit, String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int exit = JobRunner.run(StoreProbe::new, args, Map.of(), new PrintWriter(out), new PrintWriter(err));
        assertEquals(expectedExit, exit, err.toString());
        return (exit == 0 ? out : err).toString().strip();
    }
}
