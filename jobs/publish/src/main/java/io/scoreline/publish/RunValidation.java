package io.scoreline.publish;

import io.scoreline.core.error.JobException;
import io.scoreline.core.run.FetchManifest;
import io.scoreline.core.run.LatestManifest;
import io.scoreline.core.run.Partition;
import io.scoreline.core.run.PredictManifest;
import io.scoreline.core.run.RunPlan;
import java.util.Locale;

/** Checks a run's manifests before anything reaches latest/: the counts add up and the run is not older. */
final class RunValidation {
    private RunValidation() {}

    static void checkCounts(FetchManifest fetch, PredictManifest predict, double maxRejectedFraction) {
        checkScored(fetch, predict, Partition.ONE);
        checkRejected(fetch.runId(), fetch.output().records() + fetch.rejected(), fetch.rejected() + predict.rejected(), maxRejectedFraction);
    }

    /** Predict scored exactly what fetch wrote: the same bytes, and every document scored or rejected. */
    static void checkScored(FetchManifest fetch, PredictManifest predict, Partition part) {
        String run = fetch.runId() + (part.partitioned() ? " partition " + part : "");
        String rerun = part.partitioned() ? " --partition " + part : "";
        if (!fetch.output().sha256().equals(predict.inputSha256())) {
            throw JobException.refused("run " + run + ": predict scored a different input than fetch wrote (sha256);"
                + " rerun predict" + rerun + " for this run");
        }
        if (predict.scored() + predict.rejected() != fetch.output().records()) {
            throw JobException.refused(String.format(Locale.ROOT, "run %s: scored %d + rejected %d != fetched %d; rerun predict%s",
                run, predict.scored(), predict.rejected(), fetch.output().records(), rerun));
        }
    }

    /** No more than the allowed fraction of the documents offered (read and identified) was rejected, by fetch and predict together. */
    static void checkRejected(String run, long offered, long rejected, double maxRejectedFraction) {
        if (offered > 0 && (double) rejected / offered > maxRejectedFraction) {
            throw JobException.refused(String.format(Locale.ROOT,
                "run %s: %d of %d documents rejected (%.1f%%), more than --max-rejected-fraction %.3f; see runs/%s/rejected.ndjson.gz"
                    + " and fetch-rejected.ndjson.gz", run, rejected, offered, 100.0 * rejected / offered, maxRejectedFraction, run));
        }
    }

    /** A part belongs to the run's plan: fetched as this partition of it, so with its window and point-in-time. */
    static void checkPart(RunPlan plan, Partition part, FetchManifest fetch) {
        FetchManifest.Part recorded = fetch.part();
        if (recorded == null || !plan.id().equals(recorded.plan()) || recorded.index() != part.index()
                || recorded.count() != part.count() || !plan.window().equals(fetch.window())) {
            throw JobException.refused("run " + plan.runId() + " partition " + part + " was fetched for another plan (window "
                + fetch.window() + (recorded == null ? ", unpartitioned" : ", partition " + recorded.index() + "/" + recorded.count())
                + ") than the run's (window " + plan.window() + "); rerun fetch and predict --partition " + part + " for this run");
        }
    }

    /** Every part was scored by the same model version: an alias moved between two partitions' predict splits the run. */
    static void checkSameModel(String run, Partition part, PredictManifest.ModelRef first, PredictManifest.ModelRef model) {
        if (!first.name().equals(model.name()) || !first.version().equals(model.version())) {
            throw JobException.refused("run " + run + " partition " + part + " was scored with model " + model.name() + "/" + model.version()
                + ", partition 0 with " + first.name() + "/" + first.version() + "; rerun predict for every partition with"
                + " --model-version " + first.version() + " (or the version you want)");
        }
    }

    static void checkNotOlder(FetchManifest fetch, LatestManifest latest, boolean force) {
        if (latest == null || latest.runId().equals(fetch.runId()) || force) return;
        if (latest.dataIntervalEnd() != null && latest.dataIntervalEnd().isAfter(fetch.dataIntervalEnd())) {
            throw JobException.refused("run " + fetch.runId() + " (interval end " + fetch.dataIntervalEnd() + ") is older than the"
                + " published run " + latest.runId() + " (" + latest.dataIntervalEnd() + "); publishing it would regress latest."
                + " Use --force to publish it anyway");
        }
    }
}
