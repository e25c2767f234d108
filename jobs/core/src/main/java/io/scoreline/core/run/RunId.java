package io.scoreline.core.run;

import io.scoreline.core.error.JobException;
import java.util.regex.Pattern;

/** A run's name, safe to use as one path segment in every store. */
public record RunId(String value) {
    /** Starts with a letter or digit: never ".", "..", "..." or a hidden ".name" on a file store. */
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:+-]{0,199}");

    public RunId {
        if (value == null || !ALLOWED.matcher(value).matches()) {
            throw JobException.usage("invalid run id '" + abbreviate(value)
                + "': use 1 to 200 characters from [A-Za-z0-9._:+-], starting with a letter or digit");
        }
    }

    public static RunId parse(String value) {
        return new RunId(value);
    }

    private static String abbreviate(String value) {
        if (value == null) return "";
        return value.length() <= 60 ? value : value.substring(0, 60) + "…";
    }

    @Override
    public String toString() {
        return value;
    }
}
