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

    public static String input(RunId run) {
        return run(run, "input.ndjson.gz");
    }

    public static String fetchRejected(RunId run) {
        return run(run, "fetch-rejected.ndjson.gz");
    }

    public static String predictions(RunId run) {
        return run(run, "predictions.ndjson.gz");
    }

    public static String rejected(RunId run) {
        return run(run, "rejected.ndjson.gz");
    }

    /** The full merged snapshot a publish produced: immutable history that latest/ is a copy of. */
    public static String snapshot(RunId run) {
        return run(run, "snapshot.ndjson.gz");
    }

    public static String manifest(RunId run, String job) {
        return run(run, job + ".json");
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
