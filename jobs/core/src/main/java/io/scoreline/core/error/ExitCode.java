package io.scoreline.core.error;

/** The exit codes every job shares (see docs/exit-codes in the README); Airflow retries only 3 and 4. */
public enum ExitCode {
    OK(0, "ok"),
    BUG(1, "unexpected error (a bug: please report it with --verbose output)"),
    USAGE(2, "usage or configuration error"),
    SOURCE_UNAVAILABLE(3, "source unavailable"),
    STORE_UNAVAILABLE(4, "store unavailable"),
    MODEL_INVALID(5, "model missing, corrupt or incompatible"),
    VALIDATION_REFUSED(6, "validation refused the output");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }

    public static ExitCode of(int code) {
        for (ExitCode c : values()) {
            if (c.code == code) return c;
        }
        return BUG;
    }
}
