package io.scoreline.fetch;

import io.scoreline.core.error.JobException;
import io.scoreline.core.run.Layout;
import io.scoreline.core.run.Partition;
import io.scoreline.core.run.RunId;
import io.scoreline.core.run.RunPlan;
import io.scoreline.core.run.StoredJson;
import io.scoreline.core.run.Window;
import io.scoreline.core.store.ObjectStore;
import io.scoreline.core.store.PreconditionFailedException;
import io.scoreline.source.DocumentSource;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;

/**
 * The plan of a partitioned run (runs/&lt;run&gt;/parts/plan.json): the first partition to start writes it, create-only,
 * with the window it computed and the source's shared view (an Elasticsearch point-in-time); every other partition,
 * and every retry, adopts it. Two partitions starting together both propose; the store's create-only write lets one
 * win, and the loser closes its own point-in-time and reads the winner's plan.
 */
final class RunPlans {
    private RunPlans() {}

    /** What this partition would plan: the plan's id and shared view are filled in only if it wins. */
    record Proposal(RunId run, Partition part, String mode, String updatedField, Instant dataIntervalEnd,
                    Window window, int slices) {}

    static RunPlan settle(ObjectStore store, Proposal proposal, DocumentSource source, Logger log) {
        String key = Layout.plan(proposal.run());
        Optional<RunPlan> existing = StoredJson.value(store, key, RunPlan.class);
        if (existing.isPresent()) return adopted(existing.get(), proposal, log);
        String shared = source.openShared();
        RunPlan plan = new RunPlan(UUID.randomUUID().toString(), proposal.run().value(), proposal.part().count(), proposal.mode(),
            proposal.updatedField(), proposal.dataIntervalEnd(), proposal.window(), shared, proposal.slices(), Instant.now());
        try {
            StoredJson.replace(store, key, plan, null);
            log.info("run {}: planned {} partitions reading {} (plan {})", proposal.run(), plan.partitions(), plan.window(), plan.id());
            return plan;
        } catch (PreconditionFailedException another) {
            if (shared != null) source.closeShared(shared);
            return adopted(StoredJson.value(store, key, RunPlan.class).orElseThrow(() -> another), proposal, log);
        }
    }

    private static RunPlan adopted(RunPlan plan, Proposal proposal, Logger log) {
        String run = proposal.run().value();
        if (plan.partitions() != proposal.part().count()) {
            throw JobException.usage("run " + run + " is planned with " + plan.partitions() + " partitions (" + Layout.plan(proposal.run())
                + "), not " + proposal.part().count() + ": give --partition i/" + plan.partitions() + ", or use a new run id");
        }
        if (!plan.mode().equals(proposal.mode()) || !plan.updatedField().equals(proposal.updatedField())) {
            throw JobException.usage("run " + run + " is planned with --mode " + plan.mode() + " and --updated-field " + plan.updatedField()
                + ": every partition must read the same way; rerun with those, or use a new run id");
        }
        if (!plan.window().equals(proposal.window())) {
            log.info("run {}: reading the run's planned window {} (this partition alone would have read {})", run, plan.window(), proposal.window());
        }
        return plan;
    }
}
