package io.scoreline.core.run;

import java.time.Instant;

/**
 * runs/&lt;run&gt;/publish-refused.json and runs/&lt;run&gt;/fallback.json: why a run did not reach latest/, recorded by
 * the command that decided it (publish refusing it, fallback after it failed), for {@code publish.jar runs}.
 */
public record RunOutcome(String runId, String outcome, String reason, String servedRunId, Instant at) {
    public static final String REFUSED = "publish-refused", FELL_BACK = "fallback";

    public static String key(RunId run, String outcome) {
        return Layout.run(run, outcome + ".json");
    }
}
