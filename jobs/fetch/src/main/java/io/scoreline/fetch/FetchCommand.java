package io.scoreline.fetch;

import io.scoreline.core.alert.AlertOptions;
import io.scoreline.core.cli.Converters;
import io.scoreline.core.cli.JobRunner;
import io.scoreline.core.cli.PartitionOption;
import io.scoreline.core.cli.RejectWarning;
import io.scoreline.core.cli.RunOptions;
import io.scoreline.core.cli.ProgressOption;
import io.scoreline.core.cli.VerboseOption;
import io.scoreline.core.cli.VersionProvider;
import io.scoreline.core.error.JobException;
import io.scoreline.core.run.FetchManifest;
import io.scoreline.core.run.Layout;
import io.scoreline.core.run.Partition;
import io.scoreline.core.run.Publication;
import io.scoreline.core.run.RunPlan;
import io.scoreline.core.run.StoredJson;
import io.scoreline.core.run.Watermark;
import io.scoreline.core.run.Window;
import io.scoreline.core.store.ObjectStore;
import io.scoreline.core.spill.TempFiles;
import io.scoreline.core.store.StoreOptions;
import io.scoreline.source.DocumentFields;
import io.scoreline.source.DocumentMapper;
import io.scoreline.source.DocumentSource;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "fetch", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
    usageHelpAutoWidth = true,
    description = {"Reads documents updated since the last published run (or all of them with --mode full),",
        "keeps the newest version of each id and writes runs/<run-id>/input.ndjson.gz (with --partition i/P: one share, in runs/<run-id>/parts/<i>/).",
        "Every option can also be set by its SCORELINE_* environment variable (--overlap: SCORELINE_FETCH_OVERLAP; shared settings such as --store and --es-url: SCORELINE_STORE, SCORELINE_ES_URL)."},
    exitCodeList = {"2:incl. Elasticsearch index, query, mapping, credentials, TLS trust",
        "3:retried transient failures did not pass"})
public final class FetchCommand implements Callable<Integer> {
    enum Mode { incremental, full }

    private static final int MAX_SLICES = 1024;
    private static final long MIN_SPILL_AFTER = 1 << 20;
    private final Logger log = LoggerFactory.getLogger(FetchCommand.class);

    @Mixin private RunOptions run;
    @Mixin private StoreOptions store;
    @Mixin private SourceOptions source;

    @Option(names = "--mode", defaultValue = "incremental",
            description = "incremental: documents updated since the published watermark; full: the whole pool. Default: ${DEFAULT-VALUE}.")
    private Mode mode;

    @Option(names = "--data-interval-end", paramLabel = "TIME", converter = Converters.InstantConverter.class, defaultValue = "now",
            description = "End of the run's interval (Airflow: {{ data_interval_end }}). Default: now.")
    private Instant dataIntervalEnd;

    @Option(names = "--overlap", paramLabel = "DURATION", converter = Converters.DurationConverter.class, defaultValue = "5m",
            description = "Re-read this much before the watermark, for documents that became visible late. Default: ${DEFAULT-VALUE}.")
    private Duration overlap;

    @Option(names = "--refresh-lag", paramLabel = "DURATION", converter = Converters.DurationConverter.class, defaultValue = "30s",
            description = "Leave the newest documents to the next run, until the source has surely made them visible. Default: ${DEFAULT-VALUE}.")
    private Duration refreshLag;

    @Option(names = "--id-field", defaultValue = "id",
            description = "Field holding the document id; _id: Elasticsearch's document id. Default: ${DEFAULT-VALUE}.")
    private String idField;

    @Option(names = "--updated-field", defaultValue = "updated_at",
            description = "Field holding the last update time (ISO-8601 or epoch ms). Default: ${DEFAULT-VALUE}.")
    private String updatedField;

    @Option(names = "--fields", split = ",", paramLabel = "FIELD",
            description = "Feature fields to keep (comma-separated). Default: every field but the id and update time.")
    private List<String> fields = List.of();

    @Option(names = "--spill-after", paramLabel = "SIZE", converter = Converters.SizeConverter.class,
            description = "Hold at most about this much of the run's documents in the heap (e.g. 512MiB); past it they go to temporary files"
                + " sorted by id and are merged into the same output at the end, so fetch's heap does not grow with the run. At least 1MiB."
                + " Default: a quarter of the maximum heap (-Xmx).")
    private Long spillAfter;

    @Option(names = "--spill-dir", paramLabel = "DIR", defaultValue = "${sys:java.io.tmpdir}",
            description = "Where those temporary files go (in a directory of their own, deleted at the end, also when fetch fails). Default: ${DEFAULT-VALUE}.")
    private Path spillDir;

    @Mixin private PartitionOption partition;
    @Mixin private AlertOptions alert;
    @Mixin private VerboseOption verbose;
    @Mixin private ProgressOption progress;
    @Spec private CommandSpec spec;

    public static void main(String[] args) {
        JobRunner.main(FetchCommand::new, args);
    }

    @Override
    public Integer call() {
        Instant started = Instant.now();
        var documentFields = new DocumentFields(idField, updatedField, fields);
        long heldBytes = spillAfter();
        try (ObjectStore target = store.open(ObjectStore.Use.WRITE)) {
            Publication.read(target, run.runId()).checkRewritable(); // before the source is even opened
            fetch(target, documentFields, heldBytes, started);
        }
        return 0;
    }

    private void fetch(ObjectStore target, DocumentFields documentFields, long heldBytes, Instant started) {
        try (DocumentSource documents = Sources.open(source, documentFields); TempFiles temp = TempFiles.checked(spillDir)) {
            Partition part = partition.partition();
            Fetch.Share share = share(target, documents, part, window(target));
            log.info("run {}: reading documents with {} in {} from {}{}", run.runId(), updatedField, share.window(), documents.describe(),
                part.partitioned() ? ", partition " + part : "");
            var fetch = new Fetch(new DocumentMapper(idField, updatedField, fields), share, log, progress.interval(), temp, heldBytes);
            FetchManifest manifest = fetch.run(documents, target, run.runId(), mode.name(), started);
            StoredJson.write(target, Layout.manifest(run.runId(), part, "fetch"), manifest);
            log.info("run {}: read {}, kept {} ({} outside the window, {} older duplicates, {} rejected) in {} ms -> {}",
                run.runId(), manifest.read(), manifest.output().records(), manifest.outOfWindow(), manifest.duplicates(),
                manifest.rejected(), manifest.timing().durationMs(), target.describe() + manifest.output().key());
            warnAboutRejects(manifest, target);
            spec.commandLine().getOut().printf("fetched %d documents into %s%n", manifest.output().records(), manifest.output().key());
        }
    }

    /**
     * What this fetch reads: the whole run with its own window, or this partition of the run's plan (which this
     * partition writes if it is the first), with the plan's window and interval end whatever its own.
     */
    private Fetch.Share share(ObjectStore target, DocumentSource documents, Partition part, Window window) {
        if (!part.partitioned()) {
            if (target.exists(Layout.plan(run.runId()))) {
                throw JobException.usage("run " + run.runId() + " is a partitioned run (" + Layout.plan(run.runId())
                    + "): give --partition i/P as its other partitions do, or use a new run id");
            }
            return Fetch.Share.whole(window, dataIntervalEnd);
        }
        checkSlices(part);
        RunPlan plan = RunPlans.settle(target, new RunPlans.Proposal(run.runId(), part, mode.name(), updatedField, dataIntervalEnd,
            window, source.read.slices()), documents, log);
        return new Fetch.Share(part, plan, plan.window(), plan.dataIntervalEnd());
    }

    private long spillAfter() {
        if (spillAfter == null) return Runtime.getRuntime().maxMemory() / 4;
        if (spillAfter < MIN_SPILL_AFTER) throw JobException.usage("--spill-after " + spillAfter + " bytes is too small: give at least 1MiB");
        return spillAfter;
    }

    /** Elasticsearch cuts a point-in-time into at most 1024 slices (index.max_slices_per_scroll): P partitions × --slices. */
    private void checkSlices(Partition part) {
        int total = part.count() * source.read.slices();
        if (source.elasticsearch.enabled() && total > MAX_SLICES) {
            throw JobException.usage("--partition " + part + " with --slices " + source.read.slices() + " makes " + total
                + " slices of one point-in-time; Elasticsearch allows " + MAX_SLICES + ": use fewer partitions or --slices");
        }
    }

    private void warnAboutRejects(FetchManifest manifest, ObjectStore target) {
        String where = manifest.rejectedOutput() == null ? "the run's fetch-rejected file" : target.describe() + manifest.rejectedOutput().key();
        RejectWarning.print(spec, manifest.rejected(), manifest.read(), "documents read", where);
    }

    private Window window(ObjectStore target) {
        Instant upTo = dataIntervalEnd.minus(refreshLag);
        if (mode == Mode.full) return new Window(null, upTo);
        Optional<Watermark> mark = StoredJson.value(target, Layout.WATERMARK, Watermark.class);
        mark.filter(m -> !updatedField.equals(m.updatedField())).ifPresent(m -> log.warn(
            "the published watermark was computed on '{}', this run reads '{}': the window may skip or repeat documents",
            m.updatedField(), updatedField));
        return new Window(mark.map(m -> m.upTo().minus(overlap)).orElse(null), upTo);
    }
}
