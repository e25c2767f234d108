package io.scoreline.publish;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scoreline.core.alert.AlertOptions;
import io.scoreline.core.cli.Converters;
import io.scoreline.core.error.JobException;
import io.scoreline.core.cli.VerboseOption;
import io.scoreline.core.records.Json;
import io.scoreline.core.run.LatestManifest;
import io.scoreline.core.run.Layout;
import io.scoreline.core.run.StoredJson;
import io.scoreline.core.store.ObjectStore;
import io.scoreline.core.store.StoreOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
    description = {"Prints latest/manifest.json and its age (age_seconds) as one JSON object on stdout.",
        "With --max-age it is a freshness check for Airflow or cron: exit 6 when latest/ is older than that or marked stale."},
    exitCodeList = {"0:fresh, when --max-age is given", "6:for status: nothing published yet, or latest/ is stale or older than --max-age"})
final class StatusCommand implements Callable<Integer> {
    @Mixin private StoreOptions store;

    @Option(names = "--max-age", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "Exit 6 when latest/ was published longer ago than this (e.g. 10m) or is marked stale.")
    private Duration maxAge;

    @Mixin private AlertOptions alert;
    @Mixin private VerboseOption verbose;
    @Spec private CommandSpec spec;

    @Override
    public Integer call() {
        try (ObjectStore target = store.open(ObjectStore.Use.READ)) {
            LatestManifest latest = StoredJson.value(target, Layout.LATEST_MANIFEST, LatestManifest.class)
                .orElseThrow(() -> JobException.refused("nothing has been published to " + target.describe() + " yet"));
            long age = Duration.between(latest.publishedAt(), Instant.now()).toSeconds();
            ObjectNode status = Json.MAPPER.valueToTree(latest);
            status.put("store", target.describe());
            status.put("age_seconds", age);
            if (maxAge != null) status.put("max_age_seconds", maxAge.toSeconds());
            spec.commandLine().getOut().println(status);
            spec.commandLine().getOut().flush();
            if (maxAge == null) return 0;
            if (latest.stale()) {
                throw JobException.refused("latest/ in " + target.describe() + " is stale: it serves run " + latest.runId()
                    + " again because " + latest.staleReason() + " (failed run " + latest.failedRunId() + ")");
            }
            if (age > maxAge.toSeconds()) {
                throw JobException.refused("latest/ in " + target.describe() + " was published " + age + " s ago (run "
                    + latest.runId() + "), more than --max-age " + maxAge.toSeconds() + " s: is the pipeline running?");
            }
        }
        return 0;
    }
}
