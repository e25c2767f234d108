package io.scoreline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every mistake a user makes, as the user sees it from the real jars: one line on stderr that starts with the command,
 * the exit code from the one table, and nothing of the code behind it (no Java class or package, no parser's own
 * words, no stack trace). --verbose is the only way to see those.
 */
class UserErrorsTest {
    /** What a user must never see without --verbose. */
    private static final Pattern INTERNALS = Pattern.compile(
        "Exception|io\\.scoreline|com\\.fasterxml|software\\.amazon|picocli|java\\.(lang|io|nio|net|util)\\.|\\tat |Caused by");

    private static Path dir;
    private static String store;

    @BeforeAll
    static void files() throws IOException {
        dir = Files.createTempDirectory("scoreline-user-errors-");
        store = Files.createDirectories(dir.resolve("store")).toString();
        Files.writeString(dir.resolve("garbage.csv"), "a;b\n\u0000\u0001;\"\n");
        Files.writeString(dir.resolve("docs.ndjson"), "{\"id\":\"1\",\"updated_at\":\"2026-01-01T00:00:00Z\"}\n");
        Files.createDirectories(dir.resolve("bad-json-model"));
        Files.writeString(dir.resolve("bad-json-model/model.json"), "{\"name\": churn, ");
        Files.writeString(dir.resolve("bad-json-model/model.smile"), "x");
        Files.createDirectories(dir.resolve("wrong-types-model"));
        Files.writeString(dir.resolve("wrong-types-model/model.json"), "{\"features\": 42, \"task\": [1]}");
        Files.writeString(dir.resolve("wrong-types-model/model.smile"), "x");
        Files.createDirectories(dir.resolve("empty-model"));
        Files.createDirectories(dir.resolve("store-with-garbage/latest"));
        Files.writeString(dir.resolve("store-with-garbage/latest/manifest.json"), "{\"run_id\": 7, \"published_at\": \"yesterday\"}");
    }

    record Case(String what, Map<String, String> env, String job, List<String> args, int exit, String firstLineStart) {
        @Override
        public String toString() {
            return what;
        }
    }

    private static Case usage(String what, String job, String firstLineStart, String... args) {
        return new Case(what, Map.of("SCORELINE_STORE", store), job, List.of(args), 2, firstLineStart);
    }

    private static Case env(String what, String variable, String value, String job, String firstLineStart, String... args) {
        return new Case(what, Map.of("SCORELINE_STORE", store, variable, value), job, List.of(args), 2, firstLineStart);
    }

    static Stream<Case> cases() {
        String missing = dir.resolve("no-such-store").toString();
        String docs = dir.resolve("docs.ndjson").toString();
        return Stream.of(
            // flags
            usage("an unknown flag", "fetch", "fetch: Unknown option: '--no-such-flag'", "--no-such-flag"),
            usage("a subcommand typo", "predict", "predict: Unmatched argument at index 0: 'modles'; did you mean models?", "modles"),
            usage("a bad run id", "fetch", "fetch: Invalid value for option '--run-id'", "--run-id", "a/b", "--source", docs),
            usage("a bad duration", "fetch", "fetch: Invalid value for option '--overlap'", "--run-id", "r", "--overlap", "5x"),
            usage("a bad time", "fetch", "fetch: Invalid value for option '--data-interval-end'", "--run-id", "r",
                "--data-interval-end", "yesterday"),
            usage("a bad number", "predict", "predict: Invalid value for option '--threads'", "--run-id", "r", "--threads", "many"),
            usage("a bad enum", "fetch", "fetch: Invalid value for option '--mode'", "--run-id", "r", "--mode", "sometimes"),
            usage("a missing run id", "publish", "publish: error: --run-id is required"),
            usage("a negative thread count", "predict", "predict: error: --threads must be 0 (every core) or more, not -2",
                "--run-id", "r", "--threads", "-2"),
            usage("a rejected fraction that is not a fraction", "publish",
                "publish: error: --max-rejected-fraction must be between 0 and 1, not 5.0", "--run-id", "r", "--max-rejected-fraction", "5"),
            // environment
            env("a bad duration in the environment", "SCORELINE_FETCH_OVERLAP", "soon", "fetch",
                "fetch: Invalid value for option '--overlap' (from SCORELINE_FETCH_OVERLAP)", "--run-id", "r", "--source", docs),
            env("a bad boolean in the environment", "SCORELINE_S3_PATH_STYLE", "perhaps", "publish",
                "publish status: Invalid value for option '--s3-path-style' (from SCORELINE_S3_PATH_STYLE)", "status"),
            env("a bad run id in the environment", "SCORELINE_RUN_ID", "../etc", "predict",
                "predict: Invalid value for option '--run-id' (from SCORELINE_RUN_ID)"),
            env("a bad SSE mode in the environment", "SCORELINE_S3_SSE", "rot13", "publish",
                "publish status: Invalid value for option '--s3-sse' (from SCORELINE_S3_SSE)", "status"),
            usage("a --query file that does not exist", "fetch", "fetch: error: cannot read --query file " + dir.resolve("none.json")
                + ": no such file or directory: " + dir.resolve("none.json"), "--run-id", "r", "--es-url", "http://127.0.0.1:9",
                "--index", "items", "--query", "@" + dir.resolve("none.json")),
            usage("an --es-api-key-file that does not exist", "fetch", "fetch: error: cannot read --es-api-key-file "
                + dir.resolve("no-key") + ": no such file or directory: " + dir.resolve("no-key"), "--run-id", "r", "--es-url",
                "http://127.0.0.1:9", "--index", "items", "--es-api-key-file", dir.resolve("no-key").toString()),
            new Case("an Elasticsearch URL that refuses connections", Map.of("SCORELINE_STORE", store), "fetch", List.of("--run-id",
                "r", "--es-url", "http://127.0.0.1:9", "--index", "items", "--es-retries", "0"), 3, "fetch: error: Elasticsearch"
                + " unavailable: cannot check the mapping of 'updated_at' in 'items' at http://127.0.0.1:9: connection refused"),
            // stores
            usage("a store that does not exist (fetch)", "fetch", "fetch: error: store " + Path.of(missing).toUri() + " does not exist",
                "--run-id", "r", "--source", docs, "--store", missing),
            usage("a store that does not exist (status)", "publish", "publish status: error: store " + Path.of(missing).toUri()
                + " does not exist", "status", "--store", missing),
            usage("a store URL with an unknown scheme", "fetch", "fetch: error: --store 'ftp://host/x': unknown scheme",
                "--run-id", "r", "--source", docs, "--store", "ftp://host/x"),
            usage("an S3 URL without a bucket", "publish", "publish status: error: ", "status", "--store", "s3://"),
            usage("an S3 endpoint without its scheme", "publish", "publish status: Invalid value for option '--s3-endpoint':"
                + " '127.0.0.1:9000' is not a URL: use http(s)://host[:port]", "status", "--store", "s3://b/p", "--s3-endpoint",
                "127.0.0.1:9000"),
            usage("an S3 endpoint with credentials in it", "publish", "publish status: error: --s3-endpoint must look like",
                "status", "--store", "s3://b/p", "--s3-endpoint", "http://user:pw@localhost:1"),
            new Case("a store holding a garbage manifest", Map.of("SCORELINE_STORE", dir.resolve("store-with-garbage").toString()),
                "publish", List.of("status"), 6, "publish status: error: 'latest/manifest.json' in "
                + dir.resolve("store-with-garbage").toUri() + " is not a file Scoreline wrote: field 'published_at' is missing or has"
                + " a value of the wrong type"),
            // runs
            usage("predict before fetch", "predict", "predict: error: ", "--run-id", "never-fetched"),
            usage("publish before predict", "publish", "publish: error: ", "--run-id", "never-fetched"),
            usage("a rollback to a run that never was", "publish", "publish rollback: error: run never-published was never published"
                + " to " + Path.of(store).toUri() + ": pick a run that 'publish.jar runs' shows as published", "rollback", "--to",
                "never-published"),
            // model files
            usage("register without model files", "predict", "predict register: error: ", "register", "--model-dir",
                dir.resolve("empty-model").toString()),
            usage("register a model.json that is not JSON", "predict", "predict register: error: ", "register", "--model-dir",
                dir.resolve("bad-json-model").toString()),
            usage("register a model.json of the wrong shape", "predict", "predict register: error: ", "register", "--model-dir",
                dir.resolve("wrong-types-model").toString()),
            usage("train on a file that does not exist", "predict", "predict train: error: ", "train", "--data",
                dir.resolve("none.csv").toString(), "--target", "y"),
            usage("train on garbage", "predict", "predict train: error: ", "train", "--data", dir.resolve("garbage.csv").toString(),
                "--target", "y", "--out", dir.resolve("out").toString()),
            usage("show a model that does not exist", "predict", "predict models show: error: ", "models", "show", "nope"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void oneLineInTheUsersTerms(Case c) {
        Jobs.Result r = Jobs.run(c.env(), c.job(), c.args().toArray(String[]::new));
        assertEquals(c.exit(), r.exit(), c + ": " + r);
        assertEquals(1, r.errLines().size(), c + ": one line: " + r);
        assertTrue(r.errLines().get(0).startsWith(c.firstLineStart()), c + ": " + r);
        assertTrue(!INTERNALS.matcher(r.err() + r.out()).find(), c + ": the code's own words leak: " + r);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("s3Cases")
    void s3StoresToo(Case c) {
        oneLineInTheUsersTerms(c);
    }

    static Stream<Case> s3Cases() {
        Map<String, String> s3 = TestStore.s3().env();
        Map<String, String> noBucket = new HashMap<>(s3);
        noBucket.put("SCORELINE_STORE", "s3://no-such-bucket-" + System.nanoTime() + "/p");
        Map<String, String> noCredentials = new HashMap<>(s3);
        noCredentials.remove("AWS_ACCESS_KEY_ID");
        noCredentials.remove("AWS_SECRET_ACCESS_KEY");
        noCredentials.put("AWS_CONFIG_FILE", dir.resolve("none").toString());
        noCredentials.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("none").toString());
        noCredentials.put("AWS_EC2_METADATA_DISABLED", "true");
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("S3: a bucket that does not exist", noBucket, "publish", List.of("status"), 2,
            "publish status: error: bucket 'no-such-bucket-"));
        cases.add(new Case("S3: no credentials at all", noCredentials, "fetch", List.of("--run-id", "r", "--source",
            dir.resolve("docs.ndjson").toString()), 2, "fetch: error: no AWS credentials found"));
        return cases.stream();
    }
}
