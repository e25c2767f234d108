package io.scoreline.publish;

import io.scoreline.core.run.FetchManifest;
import io.scoreline.core.run.LatestManifest;
import io.scoreline.core.run.PredictManifest;
import io.scoreline.core.run.PublishManifest;
import io.scoreline.core.run.RunOutcome;
import java.time.Instant;

/**
 * One line of {@code publish.jar runs}, from what a run's manifests record. The fields are the documented JSON of
 * {@code runs --json} (docs/operations.md): add fields, never rename or remove one.
 */
record RunSummary(
    String runId,
    Instant updatedAt,
    Instant dataIntervalEnd,
    String mode,
    Long read,
    Long scored,
    Long rejected,
    Long published,
    Long snapshotCount,
    String model,
    String modelVersion,
    String result,
    String reason,
    boolean serving) {

    static final String PUBLISHED = "published", REFUSED = "refused", FELL_BACK = "fell_back", INCOMPLETE = "incomplete",
        UNREADABLE = "unreadable";

    /** What each job (or publish's refusal, or fallback) recorded for the run; any of them may be missing (null). */
    record Records(FetchManifest fetch, PredictManifest predict, PublishManifest publish, RunOutcome refused,
                   RunOutcome fellBack) {}

    /** Published beats refused (a forced rerun), refused beats fell back (the refusal says more), then incomplete. */
    static RunSummary of(String runId, Instant updatedAt, Records r, LatestManifest latest) {
        String result, reason = null;
        if (r.publish() != null) {
            result = PUBLISHED;
        } else if (r.refused() != null) {
            result = REFUSED;
            reason = r.refused().reason();
        } else if (r.fellBack() != null) {
            result = FELL_BACK;
            reason = r.fellBack().reason() + " (latest/ kept run " + r.fellBack().servedRunId() + ")";
        } else {
            result = INCOMPLETE;
            reason = r.predict() != null ? "scored, never published" : r.fetch() != null ? "fetched, never scored" : "never fetched";
        }
        Long rejected = r.fetch() == null && r.predict() == null ? null
            : (r.fetch() == null ? 0 : r.fetch().rejected()) + (r.predict() == null ? 0 : r.predict().rejected());
        return new RunSummary(runId, updatedAt,
            r.fetch() != null ? r.fetch().dataIntervalEnd() : r.publish() != null ? r.publish().dataIntervalEnd() : null,
            r.fetch() != null ? r.fetch().mode() : null,
            r.fetch() == null ? null : r.fetch().read(),
            r.predict() == null ? null : r.predict().scored(),
            rejected,
            r.publish() == null ? null : r.publish().added() + r.publish().updated(),
            r.publish() == null ? null : r.publish().snapshot().records(),
            r.predict() == null ? null : r.predict().model().name(),
            r.predict() != null ? r.predict().model().version() : r.publish() != null ? r.publish().modelVersion() : null,
            result, reason,
            latest != null && latest.runId().equals(runId));
    }

    static RunSummary unreadable(String runId, Instant updatedAt, String why, LatestManifest latest) {
        return new RunSummary(runId, updatedAt, null, null, null, null, null, null, null, null, null, UNREADABLE, why,
            latest != null && latest.runId().equals(runId));
    }
}
