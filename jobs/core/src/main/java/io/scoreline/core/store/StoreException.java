package io.scoreline.core.store;

import io.scoreline.core.error.ExitCode;
import io.scoreline.core.error.JobException;

/** The store could not be reached or refused the operation (exit code 4). */
public class StoreException extends JobException {
    public StoreException(String message, Throwable cause) {
        super(ExitCode.STORE_UNAVAILABLE, message, cause);
    }

    /** A read refused before loading an object too big for memory (the same words for every store). */
    public static StoreException tooLarge(String key, long size, long maxBytes) {
        return new ObjectTooLargeException(key, size, maxBytes);
    }
}
