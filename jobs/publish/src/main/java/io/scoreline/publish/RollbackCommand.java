package io.scoreline.publish;

import io.scoreline.core.alert.AlertOptions;
import io.scoreline.core.error.JobException;
import io.scoreline.core.cli.VerboseOption;
import io.scoreline.core.run.LatestManifest;
import io.scoreline.core.run.Layout;
import io.scoreline.core.run.PredictManifest;
import io.scoreline.core.run.PublishManifest;
import io.scoreline.core.run.RunId;
import io.scoreline.core.run.StoredJson;
import io.scoreline.core.run.Watermark;
import io.scoreline.core.store.ObjectStore;
import io.scoreline.core.store.StoreOptions;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "rollback", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
    description = "Promotes an earlier published run's snapshot to latest/ and rewinds the watermark to it, so the next"
        + " incremental run rescores everything that changed since.")
final class RollbackCommand implements Callable<Integer> {
    @Mixin private StoreOptions store;

    @Option(names = "--to", required = true, paramLabel = "RUN-ID", description = "The run to go back to.")
    private String to;

    @Mixin private AlertOptions alert;
    @Mixin private VerboseOption verbose;
    @Spec private CommandSpec spec;

    @Override
    public Integer call() {
        RunId id = RunId.parse(to);
        try (ObjectStore target = store.open(ObjectStore.Use.WRITE)) {
            PublishManifest published = StoredJson.value(target, Layout.manifest(id, "publish"), PublishManifest.class)
                .orElseThrow(() -> JobException.usage("run " + id + " was never published to " + target.describe()
                    + ": pick a run that 'publish.jar runs' shows as published"));
            if (!target.exists(published.snapshot().key())) {
                throw JobException.refused("run " + id + "'s snapshot " + published.snapshot().key() + " is gone; cannot roll back to it");
            }
            var promotion = new Promotion(target);
            var current = promotion.latest();
            // name and version both describe the run promoted, never the run it replaces
            String model = StoredJson.value(target, Layout.manifest(id, "predict"), PredictManifest.class)
                .map(p -> p.model().name()).orElse(null);
            var manifest = new LatestManifest(LatestManifest.SCHEMA_VERSION, id.value(), published.snapshot().key(),
                published.snapshot().sha256(), published.snapshot().records(), published.snapshot().bytes(),
                model, published.modelVersion(), published.dataIntervalEnd(),
                Instant.now(), "rollback", false, null, null);
            promotion.promote(manifest, current.map(StoredJson.Read::etag).orElse(null));
            StoredJson.write(target, Layout.WATERMARK, new Watermark(
                StoredJson.value(target, Layout.WATERMARK, Watermark.class).map(Watermark::updatedField).orElse(null),
                published.window().upTo(), id.value(), Instant.now()));
            promotion.recordLastGood(manifest);
            spec.commandLine().getOut().printf("latest/ now serves run %s (%d predictions); the next incremental run rescores"
                + " documents updated since %s%n", id, published.snapshot().records(), published.window().upTo());
        }
        return 0;
    }
}
