package io.scoreline.it;

import io.scoreline.core.cli.EnvDefaults;
import io.scoreline.core.store.ObjectStore;
import io.scoreline.core.store.StoreOptions;
import io.scoreline.testkit.ItServers;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * A store for one test: a temporary directory, or a fresh prefix in the S3 test server's bucket ({@link ItServers}:
 * SCORELINE_IT_S3_ENDPOINT, else a container; else a one-line failure). The jobs get it through SCORELINE_* variables,
 * the test opens it the same way.
 */
record TestStore(String kind, String uri, Map<String, String> env) {

    static Stream<TestStore> all() {
        return Stream.of(file(), s3());
    }

    /** A fresh prefix on the S3 test server. */
    static TestStore s3() {
        return s3(ItServers.s3());
    }

    static TestStore file() {
        try {
            String dir = Files.createTempDirectory("scoreline-it-").toString();
            return new TestStore("file", dir, Map.of("SCORELINE_STORE", dir));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static TestStore s3(String endpoint) {
        String bucket = ItServers.s3Bucket();
        String uri = "s3://" + bucket + "/it-" + UUID.randomUUID();
        Map<String, String> env = new HashMap<>();
        env.put("SCORELINE_STORE", uri);
        env.put("SCORELINE_S3_ENDPOINT", endpoint);
        env.put("SCORELINE_S3_PATH_STYLE", "true");
        env.put("SCORELINE_S3_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "scoreline-it");
        env.put("AWS_SECRET_ACCESS_KEY", TestSecrets.S3_SECRET_KEY);
        // the test JVM reads the store too; the SDK's default chain finds the same credentials here
        System.setProperty("aws.accessKeyId", "scoreline-it");
        System.setProperty("aws.secretAccessKey", TestSecrets.S3_SECRET_KEY);
        return new TestStore("s3", uri, Map.copyOf(env));
    }

    /** Opens the store with the same options and environment the jobs see. */
    ObjectStore open() {
        StoreOptions options = new StoreOptions();
        var cli = new CommandLine(options);
        cli.setDefaultValueProvider(new EnvDefaults(env));
        cli.parseArgs();
        return options.open();
    }

    @Override
    public String toString() {
        return kind;
    }

    List<String> list(String prefix) {
        try (ObjectStore store = open()) {
            return store.list(prefix);
        }
    }
}
