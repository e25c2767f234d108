package io.scoreline.core.run;

/** The storage layout of DESIGN.md: the one place that knows where every object lives. */
public final class Layout {
    public static final String LATEST_PREDICTIONS = "latest/predictions.ndjson.gz";
    public static final String LATEST_MANIFEST = "latest/manifest.json";
    public static final String WATERMARK = "state/watermark.json";
    public static final String LAST_GOOD = "state/last_good.json";

    private Layout() {}

    public static String run(RunId run, String file) {
        return "runs/" + run.value() + "/" + file;
    }

    /** A file of one partition: runs/&lt;run&gt;/parts/&lt;i&gt;/file; the unpartitioned run keeps runs/&lt;run&gt;/file. */
    public static String part(RunId run, Partition part, String file) {
        return part.partitioned() ? run(run, "parts/" + part.index() + "/" + file) : run(run, file);
    }

    /** The plan all partitions of a run share; absent for an unpartitioned run. */
    public static String plan(RunId run) {
        return run(run, "parts/plan.json");
    }

    public static String input(RunId run) {
        return input(run, Partition.ONE);
    }

    public static String input(RunId run, Partition part) {
        return part(run, part, "input.ndjson.gz");
    }

    public static String fetchRejected(RunId run) {
        return fetchRejected(run, Partition.ONE);
    }

    public static String fetchRejected(RunId run, Partition part) {
        return part(run, part, "fetch-rejected.ndjson.gz");
    }

    public static String predictions(RunId run) {
        return predictions(run, Partition.ONE);
    }

    public static String predictions(RunId run, Partition part) {
        return part(run, part, "predictions.ndjson.gz");
    }

    public static String rejected(RunId run) {
        return rejected(run, Partition.ONE);
    }

    public static String rejected(RunId run, Partition part) {
        return part(run, part, "rejected.ndjson.gz");
    }

    /** The full merged snapshot a publish produced: immutable history that latest/ is a copy of. */
    public static String snapshot(RunId run) {
        return run(run, "snapshot.ndjson.gz");
    }

    /** How the snapshot was built, written with it before promotion; publish.json repeats it once the run is published. */
    public static String snapshotManifest(RunId run) {
        return run(run, "snapshot.json");
    }

    public static String manifest(RunId run, String job) {
        return run(run, job + ".json");
    }

    /** A job's manifest for one partition (fetch, predict); the unpartitioned run's is {@link #manifest(RunId, String)}. */
    public static String manifest(RunId run, Partition part, String job) {
        return part(run, part, job + ".json");
    }

    public static String modelDir(String model, String version) {
        return "models/" + model + "/" + version + "/";
    }

    public static String modelSpec(String model, String version) {
        return modelDir(model, version) + "model.json";
    }

    public static String alias(String model, String alias) {
        return "models/" + model + "/aliases/" + alias + ".json";
    }
}
