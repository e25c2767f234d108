package io.scoreline.publish;

import io.scoreline.core.error.JobException;
import io.scoreline.core.run.FetchManifest;
import io.scoreline.core.run.LatestManifest;
import io.scoreline.core.run.PredictManifest;
import java.util.Locale;

/** Checks a run's manifests before anything reaches latest/: the counts add up and the run is not older. */
final class RunValidation {
    private RunValidation() {}

    static void checkCounts(FetchManifest fetch, PredictManifest predict, double maxRejectedFraction) {
        String run = fetch.runId();
        if (!fetch.output().sha256().equals(predict.inputSha256())) {
            throw JobException.refused("run " + run + ": predict scored a different input than fetch wrote (sha256);"
                + " rerun predict for this run");
        }
        if (predict.scored() + predict.rejected() != fetch.output().records()) {
            throw JobException.refused(String.format(Locale.ROOT, "run %s: scored %d + rejected %d != fetched %d; rerun predict",
                run, predict.scored(), predict.rejected(), fetch.output().records()));
        }
        long offered = fetch.output().records() + fetch.rejected();
        long rejected = fetch.rejected() + predict.rejected();
        if (offered > 0 && (double) rejected / offered > maxRejectedFraction) {
            throw JobException.refused(String.format(Locale.ROOT,
                "run %s: %d of %d documents rejected (%.1f%%), more than --max-rejected-fraction %.3f; see runs/%s/rejected.ndjson.gz"
                    + " and fetch-rejected.ndjson.gz", run, rejected, offered, 100.0 * rejected / offered, maxRejectedFraction, run));
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
