package io.scoreline.core.alert;

/**
 * What a failed job tells the webhook: {@code text} for Slack and Teams, the other fields for machines.
 * The message is the same one-line error the job printed on stderr.
 */
public record Alert(String job, String runId, int exitCode, String meaning, String message) {

    /** One line a person reads in a chat channel. */
    public String text() {
        return "Scoreline " + job + " failed" + (runId == null ? "" : " (run " + runId + ")")
            + ": exit " + exitCode + ", " + meaning + ". " + message;
    }
}
