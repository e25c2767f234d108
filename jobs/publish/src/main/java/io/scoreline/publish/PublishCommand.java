package io.scoreline.publish;

import io.scoreline.core.alert.AlertOptions;
import io.scoreline.core.error.ExitCode;
import io.scoreline.core.error.JobException;
import io.scoreline.core.cli.JobRunner;
import io.scoreline.core.cli.RunOptions;
import io.scoreline.core.cli.ProgressOption;
import io.scoreline.core.cli.VerboseOption;
import io.scoreline.core.cli.VersionProvider;
import io.scoreline.core.records.OutputFile;
import io.scoreline.core.run.FetchManifest;
import io.scoreline.core.run.LatestManifest;
import io.scoreline.core.run.Layout;
import io.scoreline.core.run.Progress;
import io.scoreline.core.run.Publication;
import io.scoreline.core.run.PublishManifest;
import io.scoreline.core.run.RunId;
import io.scoreline.core.run.RunOutcome;
import io.scoreline.core.run.StoredJson;
import io.scoreline.core.run.Timing;
import io.scoreline.core.run.Watermark;
import io.scoreline.core.store.ObjectStore;
import io.scoreline.core.store.StoreOptions;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "publish", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
    usageHelpAutoWidth = true, subcommands = {FallbackCommand.class, RollbackCommand.class, StatusCommand.class, RunsCommand.class},
    description = {"Validates a run, merges its predictions into the current snapshot by id, keeps the result as history",
        "(runs/<run-id>/snapshot.ndjson.gz), promotes it to latest/ and commits the watermark.",
        "A partitioned run (fetch/predict --partition i/P) is merged from all its parts, each checked first.",
        "Every option can also be set by its SCORELINE_* environment variable (--force: SCORELINE_PUBLISH_FORCE; shared settings such as --store: SCORELINE_STORE)."},
    exitCodeList = {"2:e.g. predict has not run", "6:nothing was published"})
public final class PublishCommand implements Callable<Integer> {
    private final Logger log = LoggerFactory.getLogger(PublishCommand.class);

    @Mixin private RunOptions run;
    @Mixin private StoreOptions store;

    @Option(names = "--force", description = "Publish even if a newer run is already published (never a run published before: its snapshot is history).")
    private boolean force;

    @Option(names = "--max-rejected-fraction", paramLabel = "F", defaultValue = "0.05",
            description = "Refuse the run if more than this fraction of its documents was rejected. Default: ${DEFAULT-VALUE}.")
    private double maxRejectedFraction;

    @Option(names = "--min-prediction", paramLabel = "X", description = "Refuse numeric predictions below this.")
    private Double minPrediction;

    @Option(names = "--max-prediction", paramLabel = "X", description = "Refuse numeric predictions above this.")
    private Double maxPrediction;

    @Mixin private AlertOptions alert;
    @Mixin private VerboseOption verbose;
    @Mixin private ProgressOption progress;
    @Spec private CommandSpec spec;

    public static void main(String[] args) {
        JobRunner.main(PublishCommand::new, args);
    }

    @Override
    public Integer call() {
        Instant started = Instant.now();
        RunId id = run.runId();
        if (!(maxRejectedFraction >= 0 && maxRejectedFraction <= 1)) {  // NaN too: it would let every run through
            throw JobException.usage("--max-rejected-fraction must be between 0 and 1, not " + maxRejectedFraction);
        }
        try (ObjectStore target = store.open(ObjectStore.Use.WRITE)) {
            try {
                publish(target, id, started);
            } catch (JobException e) {
                if (e.exitCode() == ExitCode.VALIDATION_REFUSED) recordRefusal(target, id, e);
                throw e;
            }
        }
        return 0;
    }

    private void publish(ObjectStore target, RunId id, Instant started) {
        var promotion = new Promotion(target);
        var latestRead = promotion.latest();
        LatestManifest latest = latestRead.map(StoredJson.Read::value).orElse(null);
        Publication publication = Publication.read(target, id, latest);
        if (publication.published()) {
            republish(target, promotion, publication);
            return;
        }
        ScoredRun scored = ScoredRun.load(target, id, maxRejectedFraction);
        FetchManifest fetched = scored.fetched();
        RunValidation.checkNotOlder(fetched, latest, force);

        Base base = base(fetched, latest);
        var merge = new SnapshotMerge(new PredictionCheck(minPrediction, maxPrediction),
            Progress.logging(log, "documents merged", base.count() + scored.records(), progress.interval()));
        OutputFile snapshot = merge.write(target, new SnapshotMerge.Inputs(base.key(), base.sha256(), scored.predictions()),
            Layout.snapshot(id));
        var built = new PublishManifest(id.value(), fetched.mode(), base.key(), base.sha256(), merge.baseCount(),
            merge.added(), merge.updated(), snapshot, fetched.dataIntervalEnd(), fetched.window(),
            scored.model().version(), Timing.since(started), null);
        StoredJson.write(target, Layout.snapshotManifest(id), built);

        var published = new LatestManifest(LatestManifest.SCHEMA_VERSION, id.value(), snapshot.key(), snapshot.sha256(),
            snapshot.records(), snapshot.bytes(), scored.model().name(), scored.model().version(),
            fetched.dataIntervalEnd(), Instant.now(), "publish", false, null, null);
        promotion.promote(published, latestRead.map(StoredJson.Read::etag).orElse(null));
        finish(target, promotion, fetched, published, built);

        log.info("run {}: published {} predictions ({} added, {} updated, {} kept newer) -> {}", id, snapshot.records(),
            merge.added(), merge.updated(), merge.keptNewerBase(), target.describe() + Layout.LATEST_PREDICTIONS);
        spec.commandLine().getOut().printf("published %d predictions (%d added, %d updated) from run %s to %s%n",
            snapshot.records(), merge.added(), merge.updated(), id, Layout.LATEST_PREDICTIONS);
    }

    /** What follows the promotion; publish.json last, so that a published run is a complete one. */
    private static void finish(ObjectStore target, Promotion promotion, FetchManifest fetched, LatestManifest served,
                               PublishManifest built) {
        commitWatermark(target, fetched);
        promotion.recordLastGood(served);
        StoredJson.write(target, Layout.manifest(RunId.parse(built.runId()), "publish"), built.withPublishedAt(served.publishedAt()));
    }

    /**
     * A run published before (a cleared publish task, a manual rerun): its snapshot, which a latest/manifest.json named,
     * is never rebuilt, --force or not. The run latest/ serves is done, or finished if a publish stopped right after
     * promoting it, so a cleared publish task succeeds; any other is refused in favour of rollback.
     */
    private void republish(ObjectStore target, Promotion promotion, Publication publication) {
        RunId id = publication.run();
        if (!publication.served()) {
            throw JobException.refused("run " + id + " was published at " + publication.at() + " and latest/ now serves "
                + (publication.latest() == null ? "no run" : "run " + publication.latest().runId()) + ": its snapshot is"
                + " history and is not rebuilt; use 'publish.jar rollback --to " + id + "' to serve it again");
        }
        if (publication.complete()) {
            spec.commandLine().getOut().printf("run %s was already published at %s and latest/ serves it: nothing to do%n",
                id, publication.at());
            return;
        }
        PublishManifest built = StoredJson.value(target, Layout.snapshotManifest(id), PublishManifest.class)
            .orElseThrow(() -> JobException.refused("latest/ serves run " + id + " but " + Layout.snapshotManifest(id)
                + " is missing, so its publication cannot be finished; publish a new run"));
        finish(target, promotion, ScoredRun.load(target, id, maxRejectedFraction).fetched(), publication.latest(), built);
        spec.commandLine().getOut().printf("finished publishing run %s, which latest/ already served%n", id);
    }

    /**
     * runs/&lt;run&gt;/publish-refused.json: why this run never reached latest/, for publish.jar runs. Best effort, and
     * never for a run published before (an older rerun refused): history under runs/ does not change once published.
     */
    private void recordRefusal(ObjectStore target, RunId id, JobException refusal) {
        try {
            if (target.exists(Layout.manifest(id, "publish"))) return;
            StoredJson.write(target, RunOutcome.key(id, RunOutcome.REFUSED),
                new RunOutcome(id.value(), RunOutcome.REFUSED, refusal.getMessage(), null, Instant.now()));
        } catch (RuntimeException e) {
            log.warn("run {}: could not record the refusal in {}: {}", id, target.describe(), e.getMessage());
        }
    }

    /** The snapshot to merge into, and how many records it holds. */
    private record Base(String key, String sha256, long count) {}

    /** What the run's predictions merge into: nothing in full mode, else what latest/ serves. */
    private static Base base(FetchManifest fetched, LatestManifest latest) {
        if ("full".equals(fetched.mode()) || latest == null) return new Base(null, null, 0);
        return new Base(latest.snapshot(), latest.sha256(), latest.count());
    }

    /** The cursor only moves forward: a forced older run never rewinds it. */
    private static void commitWatermark(ObjectStore target, FetchManifest fetched) {
        var current = StoredJson.read(target, Layout.WATERMARK, Watermark.class);
        Instant upTo = fetched.window().upTo();
        if (current.isPresent() && current.get().value().upTo().isAfter(upTo)) return;
        StoredJson.replace(target, Layout.WATERMARK, new Watermark(fetched.updatedField(), upTo, fetched.runId(), Instant.now()),
            current.map(StoredJson.Read::etag).orElse(null));
    }

    static <T> T require(ObjectStore target, RunId id, String job, Class<T> type) {
        return StoredJson.value(target, Layout.manifest(id, job), type).orElseThrow(() -> JobException.usage(
            "run " + id + " has no " + job + " manifest in " + target.describe() + ": run " + job + " with the same --run-id first"));
    }
}
