package io.scoreline.publish;

import io.scoreline.core.alert.AlertOptions;
import io.scoreline.core.error.JobException;
import io.scoreline.core.cli.RunOptions;
import io.scoreline.core.cli.VerboseOption;
import io.scoreline.core.run.LastGood;
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

@Command(name = "fallback", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
    description = "After a failed run: re-promotes the last good snapshot to latest/ and marks it stale with the reason,"
        + " so the backend keeps a complete, valid answer and can tell it is not fresh.")
final class FallbackCommand implements Callable<Integer> {
    @Mixin private RunOptions run;
    @Mixin private StoreOptions store;

    @Option(names = "--reason", required = true, description = "Why the run failed (shown to the backend and in alerts).")
    private String reason;

    @Mixin private AlertOptions alert;
    @Mixin private VerboseOption verbose;
    @Spec private CommandSpec spec;

    @Override
    public Integer call() {
        try (ObjectStore target = store.open()) {
            LastGood good = StoredJson.value(target, Layout.LAST_GOOD, LastGood.class).orElseThrow(() -> JobException.refused(
                "nothing has been published to " + target.describe() + " yet, so there is no last good output to fall back to"));
            var promotion = new Promotion(target, Duration.ZERO, spec.commandLine().getErr());
            var current = promotion.latest();
            // everything describes the last good run, whatever a half-finished publish left in latest/
            var stale = new LatestManifest(LatestManifest.SCHEMA_VERSION, good.runId(), good.snapshot(), good.sha256(),
                good.count(), good.bytes(), good.model(), good.modelVersion(), good.dataIntervalEnd(),
                Instant.now(), "fallback", true, reason, run.runId().value());
            promotion.promote(stale, current.map(StoredJson.Read::etag).orElse(null));
            spec.commandLine().getOut().printf("latest/ now serves run %s again, marked stale: %s%n", good.runId(), reason);
        }
        return 0;
    }
}
