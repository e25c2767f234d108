package io.scoreline.publish;

import io.scoreline.core.alert.AlertOptions;
import io.scoreline.core.cli.VerboseOption;
import io.scoreline.core.error.JobException;
import io.scoreline.core.records.Json;
import io.scoreline.core.run.LatestManifest;
import io.scoreline.core.run.Layout;
import io.scoreline.core.run.StoredJson;
import io.scoreline.core.run.Watermark;
import io.scoreline.core.store.ObjectStore;
import io.scoreline.core.store.StoreOptions;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "runs", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
    description = {"Lists the newest runs (by their last write) with their counts, model and result — published, refused"
        + " (with the reason), fell_back or incomplete — and the current watermark. Reads only runs/ and state/.",
        "--json prints one JSON object instead, documented in docs/operations.md."})
final class RunsCommand implements Callable<Integer> {
    /** The version of the --json document; bumped only if a field changes meaning or goes away. */
    static final int SCHEMA_VERSION = 1;

    @Mixin private StoreOptions store;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "How many runs to show. Default: ${DEFAULT-VALUE}.")
    private int limit;

    @Option(names = "--json", description = "One JSON object on stdout instead of the table.")
    private boolean json;

    @Mixin private AlertOptions alert;
    @Mixin private VerboseOption verbose;
    @Spec private CommandSpec spec;

    /** The --json document. */
    record Report(int schemaVersion, String store, int totalRuns, int limit, Watermark watermark, LatestManifest latest,
                  List<RunSummary> runs) {}

    @Override
    public Integer call() {
        if (limit < 1) throw JobException.usage("--limit must be at least 1, not " + limit);
        try (ObjectStore target = store.open(ObjectStore.Use.READ)) {
            LatestManifest latest = StoredJson.value(target, Layout.LATEST_MANIFEST, LatestManifest.class).orElse(null);
            Watermark watermark = StoredJson.value(target, Layout.WATERMARK, Watermark.class).orElse(null);
            List<RunHistory.Folder> folders = RunHistory.folders(target);
            List<RunSummary> runs = RunHistory.summaries(target, folders.subList(0, Math.min(limit, folders.size())), latest);
            var report = new Report(SCHEMA_VERSION, target.describe(), folders.size(), limit, watermark, latest, runs);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(Json.MAPPER.valueToTree(report).toString());
            } else {
                RunsTable.print(report, out);
            }
            out.flush();
        }
        return 0;
    }
}
