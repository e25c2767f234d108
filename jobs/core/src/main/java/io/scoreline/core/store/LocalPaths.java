package io.scoreline.core.store;

import io.scoreline.core.error.JobException;
import java.net.URI;
import java.nio.file.Path;

/** A local path given as a plain path, file:relative or file:///absolute, as --store and --source accept it. */
public final class LocalPaths {
    private static final String ANY_SCHEME = "^[a-zA-Z][a-zA-Z0-9+.-]*://.*";
    /** s3:/bucket/p, s3:bucket/p: a URL with a slash missing, never a path anyone meant */
    private static final String HALF_A_URL = "^(?i)(s3|https?):(?!//).*";

    private LocalPaths() {}

    /**
     * @param option the flag, for the message
     * @param accepted what the flag takes, for the message, e.g. "file:///dir, a path or s3://bucket/prefix"
     */
    public static Path parse(String value, String option, String accepted) {
        if (value == null || value.isBlank()) throw JobException.usage(option + " is empty: give " + accepted);
        if (value.startsWith("file:")) {
            try {
                return value.startsWith("file:/") ? Path.of(URI.create(value)) : Path.of(value.substring(5));
            } catch (IllegalArgumentException e) {
                throw JobException.usage(option + " '" + value + "' is not a valid file URI (" + e.getMessage() + "): give " + accepted);
            }
        }
        if (value.matches(HALF_A_URL)) throw JobException.usage(option + " '" + value + "' is not a URL: a scheme is followed by"
            + " '://'; give " + accepted);
        if (value.matches(ANY_SCHEME)) throw JobException.usage(option + " '" + value + "': unknown scheme; give " + accepted);
        return Path.of(value);
    }
}
