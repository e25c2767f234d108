package io.scoreline.core.error;

/**
 * The exit codes every job shares. Their meanings and which ones are retried are written once, in
 * {@code exit-codes.json} next to this class, which the Airflow DAGs read too; Airflow retries only 1, 3 and 4.
 */
public enum ExitCode {
    OK(0),
    BUG(1),
    USAGE(2),
    SOURCE_UNAVAILABLE(3),
    STORE_UNAVAILABLE(4),
    MODEL_INVALID(5),
    VALIDATION_REFUSED(6);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public String meaning() {
        return ExitCodeTable.row(this).meaning();
    }

    /** Whether the scheduler retries a job that exits with this code: the failure may heal by itself. */
    public boolean retried() {
        return ExitCodeTable.row(this).retried();
    }

    public static ExitCode of(int code) {
        for (ExitCode c : values()) {
            if (c.code == code) return c;
        }
        return BUG;
    }
}
