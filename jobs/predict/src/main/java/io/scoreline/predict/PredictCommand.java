package io.scoreline.predict;

import io.scoreline.core.alert.AlertOptions;
import io.scoreline.core.error.JobException;
import io.scoreline.core.cli.JobRunner;
import io.scoreline.core.cli.ModelOptions;
import io.scoreline.core.cli.ProgressOption;
import io.scoreline.core.cli.PartitionOption;
import io.scoreline.core.cli.RejectWarning;
import io.scoreline.core.cli.RunOptions;
import io.scoreline.core.cli.VerboseOption;
import io.scoreline.core.cli.VersionProvider;
import io.scoreline.core.records.NdjsonWriter;
import io.scoreline.core.records.OutputFile;
import io.scoreline.core.run.FetchManifest;
import io.scoreline.core.run.Layout;
import io.scoreline.core.run.Partition;
import io.scoreline.core.run.PredictManifest;
import io.scoreline.core.run.Progress;
import io.scoreline.core.run.Publication;
import io.scoreline.core.run.StoredJson;
import io.scoreline.core.run.Timing;
import io.scoreline.core.spill.LineSpool;
import io.scoreline.core.spill.TempFiles;
import io.scoreline.core.store.ObjectStore;
import io.scoreline.core.store.StoreOptions;
import io.scoreline.model.LoadedModel;
import io.scoreline.model.ModelRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "predict", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
    usageHelpAutoWidth = true, subcommands = {TrainCommand.class, RegisterCommand.class, ModelsCommand.class},
    description = {"Scores runs/<run-id>/input.ndjson.gz with the model an alias names, loaded from the store into memory,",
        "and writes runs/<run-id>/predictions.ndjson.gz (documents that cannot be scored go to rejected.ndjson.gz);",
        "with --partition i/P, partition i's input and outputs in runs/<run-id>/parts/<i>/.",
        "Every option can also be set by its SCORELINE_* environment variable (--model: SCORELINE_PREDICT_MODEL; shared settings such as --store: SCORELINE_STORE)."},
    exitCodeList = {"2:e.g. fetch has not run", "6:the input does not match its manifest"})
public final class PredictCommand implements Callable<Integer> {
    private final Logger log = LoggerFactory.getLogger(PredictCommand.class);

    @Mixin private RunOptions run;
    @Mixin private StoreOptions store;
    @Mixin private ModelOptions model;

    @Option(names = "--threads", defaultValue = "0", description = "Scoring threads; 0 uses every core. Default: ${DEFAULT-VALUE}.")
    private int threads;

    @Mixin private PartitionOption partition;
    @Mixin private AlertOptions alert;
    @Mixin private VerboseOption verbose;
    @Mixin private ProgressOption progress;
    @Spec private CommandSpec spec;

    public static void main(String[] args) {
        JobRunner.main(PredictCommand::new, args);
    }

    @Override
    public Integer call() {
        Instant started = Instant.now();
        if (threads < 0) throw JobException.usage("--threads must be 0 (every core) or more, not " + threads);
        int cores = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        Partition part = partition.partition();
        try (ObjectStore target = store.open(ObjectStore.Use.WRITE); ForkJoinPool pool = new ForkJoinPool(cores);
             TempFiles temp = new TempFiles(Path.of(System.getProperty("java.io.tmpdir")))) {
            Publication.read(target, run.runId()).checkRewritable();
            FetchManifest fetched = StoredJson.value(target, Layout.manifest(run.runId(), part, "fetch"), FetchManifest.class)
                .orElseThrow(() -> JobException.usage("run " + run.runId() + " has no fetch manifest"
                    + (part.partitioned() ? " for partition " + part : "") + " in " + target.describe()
                    + ": run fetch with the same --run-id" + (part.partitioned() ? " and --partition " + part : "") + " first"));
            var registry = new ModelRegistry(target);
            String version = model.version() != null ? model.version() : registry.resolve(model.name(), model.alias());
            LoadedModel loaded = registry.load(model.name(), version, model.maxBytes());
            log.info("run {}: scoring {} documents with model {} ({} {}, {} features) on {} threads with {}", run.runId(),
                fetched.output().records(), loaded.id(), loaded.spec().algorithm(), loaded.spec().task(),
                loaded.spec().features().size(), cores, loaded.scorer().describe());

            var rejects = new LineSpool(temp, "rejected");
            var scoring = new BatchScoring(loaded, pool, Progress.logging(log, "documents scored", fetched.output().records(), progress.interval()),
                rejects);
            OutputFile predictions = scoring.run(target, fetched.output().key(), Layout.predictions(run.runId(), part));
            if (!scoring.inputSha256().equals(fetched.output().sha256())) {
                throw JobException.refused("'" + fetched.output().key() + "' does not match fetch.json (sha256): it was"
                    + " modified or truncated; rerun fetch for run " + run.runId());
            }
            OutputFile rejected = NdjsonWriter.write(target, Layout.rejected(run.runId(), part), rejects::writeTo);
            var ref = new PredictManifest.ModelRef(loaded.spec().name(), loaded.spec().version(),
                model.version() != null ? null : model.alias(), loaded.spec().sha256(), loaded.spec().algorithm(),
                loaded.spec().task().name().toLowerCase(java.util.Locale.ROOT));
            var manifest = new PredictManifest(run.runId().value(), ref, fetched.output().key(), scoring.inputSha256(),
                scoring.read(), predictions.records(), rejected.records(), predictions, rejected, cores, Timing.since(started));
            StoredJson.write(target, Layout.manifest(run.runId(), part, "predict"), manifest);
            log.info("run {}: scored {}, rejected {} in {} ms -> {}", run.runId(), predictions.records(), rejected.records(),
                manifest.timing().durationMs(), target.describe() + predictions.key());
            RejectWarning.print(spec, rejected.records(), scoring.read(), "documents", target.describe() + rejected.key());
            spec.commandLine().getOut().printf("scored %d documents (%d rejected) with %s into %s%n",
                predictions.records(), rejected.records(), loaded.id(), predictions.key());
        }
        return 0;
    }
}
