package io.scoreline.core.alert;

import picocli.CommandLine.Option;

/**
 * Declares --alert-webhook on every job, for people who run the jobs from cron rather than Airflow.
 * {@link io.scoreline.core.cli.JobRunner} reads it when a job exits non-zero; the URL is a secret and is never printed.
 */
public final class AlertOptions {
    @Option(names = "--alert-webhook", paramLabel = "URL",
            description = "On failure, POST one JSON alert here (Slack incoming webhook, Teams or any JSON receiver)."
                + " A secret: prefer SCORELINE_ALERT_WEBHOOK; it is never printed.")
    String webhook;

    /** The URL, or null: for a long-running command (serve) that alerts while it runs, not only when it exits. */
    public String webhook() {
        return webhook;
    }
}
