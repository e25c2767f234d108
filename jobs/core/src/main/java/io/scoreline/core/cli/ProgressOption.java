package io.scoreline.core.cli;

import io.scoreline.core.run.Progress;
import java.time.Duration;
import picocli.CommandLine.Option;

/** --progress-interval, shared by the jobs (SCORELINE_PROGRESS_INTERVAL): how often long work reports on stderr. */
public final class ProgressOption {
    @Option(names = "--progress-interval", paramLabel = "DURATION", defaultValue = "10s",
            converter = Converters.DurationConverter.class,
            description = "Report progress on stderr this often (count, total, percent, rate, time left); 0s: never."
                + " Default: ${DEFAULT-VALUE}.")
    private Duration interval;

    public Duration interval() {
        return interval == null ? Progress.OFF : interval;
    }
}
