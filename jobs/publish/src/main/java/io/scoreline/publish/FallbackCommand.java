package io.scoreline.publish;

import io.scoreline.core.alert.AlertOptions;
import io.scoreline.core.error.JobException;
import io.scoreline.core.cli.RunOptions;
import io.scoreline.core.cli.VerboseOption;
import io.scoreline.core.run.FetchManifest;
import io.scoreline.core.run.LatestManifest;
import io.scoreline.core.run.Layout;
import io.scoreline.core.run.Publication;
import io.scoreline.core.run.RunId;
import io.scoreline.core.run.RunPlan;
import io.scoreline.core.run.RunOutcome;
import io.scoreline.core.run.StoredJson;
import io.scoreline.core.store.ObjectStore;
import io.scoreline.core.store.StoreOptions;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Falls back to what latest/manifest.json already publishes, never to a separately recorded "last good" run: a kill
 * between the watermark commit and state/last_good.json would otherwise move latest/ back one run while the watermark
 * stays ahead, and the documents in between would never be scored again.
 */
@Command(name = "fallback", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
    description = "After a failed run: keeps the snapshot latest/ publishes (restoring its copy if a crash left another"
        + " one) and marks it stale with the reason, so the backend keeps a complete, valid answer and can tell it is not"
        + " fresh. A failed run that is not newer than what latest/ serves (a refused older rerun), or was published before"
        + " (a refused rerun of history), marks nothing stale.")
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
        RunId failed = run.runId();
        try (ObjectStore target = store.open(ObjectStore.Use.WRITE)) {
            var promotion = new Promotion(target);
            var current = promotion.latest().orElseThrow(() -> JobException.refused(
                "nothing has been published to " + target.describe() + " yet, so there is no last good output to fall back to"));
            LatestManifest served = current.value();
            if (!newerThanServed(target, failed, served)) {
                promotion.repairCopy();
                spec.commandLine().getOut().printf("latest/ already serves run %s, which the failed run %s would not have replaced;"
                    + " left as it is%n", served.runId(), failed);
                return 0;
            }
            var stale = new LatestManifest(LatestManifest.SCHEMA_VERSION, served.runId(), served.snapshot(), served.sha256(),
                served.count(), served.bytes(), served.model(), served.modelVersion(), served.dataIntervalEnd(),
                Instant.now(), "fallback", true, reason, failed.value());
            recordFallback(target, failed, served);
            promotion.promote(stale, current.etag());
            spec.commandLine().getOut().printf("latest/ now serves run %s again, marked stale: %s%n", served.runId(), reason);
        }
        return 0;
    }

    /** runs/&lt;failed&gt;/fallback.json, for publish.jar runs; never over a run that was published. */
    private void recordFallback(ObjectStore target, RunId failed, LatestManifest served) {
        if (target.exists(Layout.manifest(failed, "publish"))) return;
        StoredJson.write(target, RunOutcome.key(failed, RunOutcome.FELL_BACK),
            new RunOutcome(failed.value(), RunOutcome.FELL_BACK, reason, served.runId(), Instant.now()));
    }

    /** Whether the failed run would have brought newer data than latest/ serves (unknown when fetch never finished). */
    private static boolean newerThanServed(ObjectStore target, RunId failed, LatestManifest served) {
        // served: its publish got as far as latest/, the data is fresh; published before: a refused rerun of history
        if (Publication.read(target, failed, served).published()) return false;
        // a partitioned run's interval end is its plan's
        return StoredJson.value(target, Layout.manifest(failed, "fetch"), FetchManifest.class).map(FetchManifest::dataIntervalEnd)
            .or(() -> StoredJson.value(target, Layout.plan(failed), RunPlan.class).map(RunPlan::dataIntervalEnd))
            .map(end -> served.dataIntervalEnd() == null || end.isAfter(served.dataIntervalEnd()))
            .orElse(true);
    }
}
