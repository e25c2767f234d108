package io.scoreline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.scoreline.core.run.Layout;
import io.scoreline.core.run.RunId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** One store, one source (a file, or the given source options, e.g. an Elasticsearch index), and the three jobs run in order against them. */
final class Pipeline {
    final TestStore store;
    final Path source;
    private final String[] sourceOptions;

    Pipeline(TestStore store) throws IOException {
        this(store, (String[]) null);
    }

    Pipeline(TestStore store, String... sourceOptions) throws IOException {
        this.store = store;
        this.source = Files.createTempDirectory("scoreline-source-").resolve("documents.ndjson");
        this.sourceOptions = sourceOptions != null ? sourceOptions : new String[] {"--source", source.toString()};
        Fixtures.register(store, "v1");
    }

    Jobs.Result fetch(String run, Instant end, String... extra) {
        return Jobs.run(store.env(), "fetch", fetchArgs(run, end, extra));
    }

    String[] fetchArgs(String run, Instant end, String... extra) {
        return concat(concat(new String[] {"--run-id", run, "--data-interval-end", end.toString()}, sourceOptions), extra);
    }

    Jobs.Result predict(String run, String... extra) {
        return Jobs.run(store.env(), "predict", concat(new String[] {"--run-id", run, "--model", "churn"}, extra));
    }

    Jobs.Result publish(String run, String... extra) {
        return Jobs.run(store.env(), "publish", concat(new String[] {"--run-id", run}, extra));
    }

    /** fetch → predict → publish, each required to succeed. */
    void cycle(String run, Instant end) {
        for (Jobs.Result r : new Jobs.Result[] {fetch(run, end), predict(run), publish(run)}) {
            assertEquals(0, r.exit(), r.toString());
        }
    }

    String snapshot(String run) {
        return Layout.snapshot(RunId.parse(run));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
