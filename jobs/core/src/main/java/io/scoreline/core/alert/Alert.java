package io.scoreline.core.alert;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What a failed job tells the webhook: {@code text} for Slack and Teams, the other fields for machines, named as
 * {@code alert_fields} in exit-codes.json says (the DAGs' alerts carry the same fields). The error is the same
 * one-line message the job printed on stderr.
 */
@JsonPropertyOrder({"event", "text", "job", "run_id", "exit_code", "meaning", "retryable", "error"})
public record Alert(String job, String runId, int exitCode, String meaning, boolean retryable, String error) implements WebhookMessage {

    /** A job sends only failures; serve and the DAGs also send "recovered" ({@link Recovered}), the DAGs "stale". */
    @JsonProperty("event")
    @Override
    public String event() {
        return "failed";
    }

    /** One line a person reads in a chat channel. */
    @JsonProperty("text")
    @Override
    public String text() {
        return "Scoreline " + job + " failed" + (runId == null ? "" : " (run " + runId + ")")
            + ": exit " + exitCode + ", " + meaning + ". " + error;
    }
}
