package io.scoreline.core.error;

/** A failure the user can act on: carries its exit code and a one-line message that says what to do. */
public class JobException extends RuntimeException {
    private final ExitCode exitCode;

    public JobException(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public JobException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    public static JobException usage(String message) {
        return new JobException(ExitCode.USAGE, message);
    }

    public static JobException refused(String message) {
        return new JobException(ExitCode.VALIDATION_REFUSED, message);
    }

    public static JobException model(String message, Throwable cause) {
        return new JobException(ExitCode.MODEL_INVALID, message, cause);
    }
}
