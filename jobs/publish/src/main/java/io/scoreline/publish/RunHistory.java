package io.scoreline.publish;

import io.scoreline.core.error.ExitCode;
import io.scoreline.core.error.JobException;
import io.scoreline.core.run.FetchManifest;
import io.scoreline.core.run.LatestManifest;
import io.scoreline.core.run.PredictManifest;
import io.scoreline.core.run.PublishManifest;
import io.scoreline.core.run.RunOutcome;
import io.scoreline.core.run.StoredJson;
import io.scoreline.core.store.ObjectStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The newest runs of a store: one listing of runs/ (no reads) orders the runs by their last write; then only the
 * newest N runs' small manifests are read, 16 at a time, so thousands of runs in S3 cost one listing and ~3N GETs.
 */
final class RunHistory {
    private static final String RUNS = "runs/";
    private static final int READERS = 16;

    private RunHistory() {}

    /** A run folder as the listing shows it: its files and its last write. */
    record Folder(String runId, Instant updatedAt, Set<String> files) {}

    /** All run folders, newest first (last write, then run id). */
    static List<Folder> folders(List<ObjectStore.Listed> listing) {
        Map<String, Folder> byRun = new LinkedHashMap<>();
        for (ObjectStore.Listed entry : listing) {
            String rest = entry.key().substring(RUNS.length());
            int slash = rest.indexOf('/');
            if (slash <= 0) continue;
            String run = rest.substring(0, slash);
            Folder f = byRun.computeIfAbsent(run, r -> new Folder(r, entry.lastModified(), new HashSet<>()));
            f.files().add(rest.substring(slash + 1));
            if (entry.lastModified().isAfter(f.updatedAt())) byRun.put(run, new Folder(run, entry.lastModified(), f.files()));
        }
        List<Folder> folders = new ArrayList<>(byRun.values());
        folders.sort(Comparator.comparing(Folder::updatedAt).thenComparing(Folder::runId).reversed());
        return folders;
    }

    static List<Folder> folders(ObjectStore store) {
        return folders(store.listWithTimes(RUNS));
    }

    /** The summaries of these folders, in their order. */
    static List<RunSummary> summaries(ObjectStore store, List<Folder> folders, LatestManifest latest) {
        // a few reads at a time: enough to hide S3's latency, never more than the client's connection pool serves
        try (var pool = Executors.newFixedThreadPool(Math.max(1, Math.min(READERS, folders.size())))) {
            List<Future<RunSummary>> reads = new ArrayList<>();
            for (Folder f : folders) reads.add(pool.submit(() -> summary(store, f, latest)));
            List<RunSummary> out = new ArrayList<>();
            for (Future<RunSummary> read : reads) out.add(join(read));
            return out;
        }
    }

    private static RunSummary summary(ObjectStore store, Folder f, LatestManifest latest) {
        try {
            FetchManifest fetch = read(store, f, "fetch.json", FetchManifest.class);
            PredictManifest predict = read(store, f, "predict.json", PredictManifest.class);
            var records = new RunSummary.Records(
                fetch != null ? fetch : fetchOfParts(readParts(store, f, "fetch.json", FetchManifest.class)),
                predict != null ? predict : predictOfParts(readParts(store, f, "predict.json", PredictManifest.class)),
                read(store, f, "publish.json", PublishManifest.class),
                read(store, f, RunOutcome.REFUSED + ".json", RunOutcome.class),
                read(store, f, RunOutcome.FELL_BACK + ".json", RunOutcome.class));
            return RunSummary.of(f.runId(), f.updatedAt(), records, latest);
        } catch (JobException e) {
            if (e.exitCode() != ExitCode.VALIDATION_REFUSED) throw e; // a store failure fails the command
            return RunSummary.unreadable(f.runId(), f.updatedAt(), e.getMessage(), latest);
        }
    }

    private static <T> T read(ObjectStore store, Folder f, String file, Class<T> type) {
        if (!f.files().contains(file)) return null;
        return StoredJson.value(store, RUNS + f.runId() + "/" + file, type).orElse(null);
    }

    /** The manifests of a partitioned run's parts (parts/&lt;i&gt;/&lt;file&gt;) that exist so far. */
    private static <T> List<T> readParts(ObjectStore store, Folder f, String file, Class<T> type) {
        List<T> parts = new ArrayList<>();
        f.files().stream().filter(name -> name.matches("parts/\\d+/" + file.replace(".", "\\.")))
            .sorted().forEach(name -> parts.add(read(store, f, name, type)));
        parts.removeIf(java.util.Objects::isNull);
        return parts;
    }

    /** A partitioned run's fetch as one: the parts' counts summed, the window and mode they share. */
    static FetchManifest fetchOfParts(List<FetchManifest> parts) {
        if (parts.isEmpty()) return null;
        FetchManifest first = parts.getFirst();
        return new FetchManifest(first.runId(), first.mode(), first.source(), first.updatedField(), first.dataIntervalEnd(),
            first.window(), parts.stream().mapToLong(FetchManifest::read).sum(), parts.stream().mapToLong(FetchManifest::outOfWindow).sum(),
            parts.stream().mapToLong(FetchManifest::duplicates).sum(), parts.stream().mapToLong(FetchManifest::rejected).sum(),
            null, null, null);
    }

    /** A partitioned run's predict as one: the parts' counts summed, the first part's model. */
    static PredictManifest predictOfParts(List<PredictManifest> parts) {
        if (parts.isEmpty()) return null;
        PredictManifest first = parts.getFirst();
        return new PredictManifest(first.runId(), first.model(), null, null, parts.stream().mapToLong(PredictManifest::read).sum(),
            parts.stream().mapToLong(PredictManifest::scored).sum(), parts.stream().mapToLong(PredictManifest::rejected).sum(),
            null, null, first.threads(), null);
    }

    private static RunSummary join(Future<RunSummary> read) {
        try {
            return read.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the runs", e);
        }
    }
}
