package io.scoreline.core.store;

import io.scoreline.core.cli.ExitCode;
import io.scoreline.core.cli.JobException;

/** The store could not be reached or refused the operation (exit code 4). */
public class StoreException extends JobException {
    public StoreException(String message, Throwable cause) {
        super(ExitCode.STORE_UNAVAILABLE, message, cause);
    }
}
