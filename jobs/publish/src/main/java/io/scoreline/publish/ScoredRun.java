package io.scoreline.publish;

import io.scoreline.core.error.JobException;
import io.scoreline.core.records.OutputFile;
import io.scoreline.core.run.FetchManifest;
import io.scoreline.core.run.Layout;
import io.scoreline.core.run.Partition;
import io.scoreline.core.run.PredictManifest;
import io.scoreline.core.run.RunId;
import io.scoreline.core.run.RunPlan;
import io.scoreline.core.run.StoredJson;
import io.scoreline.core.store.ObjectStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What publish merges, checked: the run's fetch manifest (for a partitioned run, partition 0's, whose window and
 * mode every part shares), the model that scored it, and its predictions files (one, or one per partition in order).
 */
record ScoredRun(FetchManifest fetched, PredictManifest.ModelRef model, List<OutputFile> predictions) {

    long records() {
        return predictions.stream().mapToLong(OutputFile::records).sum();
    }

    /** Loads a run: from runs/&lt;run&gt;/ as before, or, when the run has a plan, from every one of its parts. */
    static ScoredRun load(ObjectStore store, RunId id, double maxRejectedFraction) {
        Optional<RunPlan> plan = StoredJson.value(store, Layout.plan(id), RunPlan.class);
        if (plan.isPresent()) return parts(store, id, plan.get(), maxRejectedFraction);
        FetchManifest fetched = PublishCommand.require(store, id, "fetch", FetchManifest.class);
        PredictManifest predicted = PublishCommand.require(store, id, "predict", PredictManifest.class);
        RunValidation.checkCounts(fetched, predicted, maxRejectedFraction);
        return new ScoredRun(fetched, predicted.model(), List.of(predicted.output()));
    }

    /** Every part present, complete and of this plan; the rejected fraction judged over the whole run. */
    private static ScoredRun parts(ObjectStore store, RunId id, RunPlan plan, double maxRejectedFraction) {
        List<OutputFile> predictions = new ArrayList<>();
        FetchManifest first = null;
        PredictManifest.ModelRef model = null;
        long offered = 0, rejected = 0;
        for (int i = 0; i < plan.partitions(); i++) {
            Partition part = new Partition(i, plan.partitions());
            FetchManifest fetched = part(store, id, part, "fetch", FetchManifest.class);
            RunValidation.checkPart(plan, part, fetched);
            PredictManifest predicted = part(store, id, part, "predict", PredictManifest.class);
            RunValidation.checkScored(fetched, predicted, part);
            if (model == null) {
                first = fetched;
                model = predicted.model();
            }
            RunValidation.checkSameModel(id.value(), part, model, predicted.model());
            if (!store.exists(predicted.output().key())) {
                throw JobException.refused("run " + id + " partition " + part + ": " + predicted.output().key() + " is missing;"
                    + " rerun predict --partition " + part + " for this run, then publish again");
            }
            offered += fetched.output().records() + fetched.rejected();
            rejected += fetched.rejected() + predicted.rejected();
            predictions.add(predicted.output());
        }
        RunValidation.checkRejected(id.value(), offered, rejected, maxRejectedFraction);
        return new ScoredRun(first, model, List.copyOf(predictions));
    }

    private static <T> T part(ObjectStore store, RunId id, Partition part, String job, Class<T> type) {
        return StoredJson.value(store, Layout.manifest(id, part, job), type).orElseThrow(() -> JobException.refused(
            "run " + id + " partition " + part + " has no " + job + " manifest (" + Layout.manifest(id, part, job) + "): run "
                + job + " --partition " + part + " for this run" + ("fetch".equals(job) ? " and predict after it" : "") + ", then publish again"));
    }
}
