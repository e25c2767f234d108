package io.scoreline.core.run;

import java.time.Instant;

/** The update-time range a fetch read: (after, upTo]; a null {@code after} means from the beginning. */
public record Window(Instant after, Instant upTo) {
    public boolean contains(Instant t) {
        return (after == null || t.isAfter(after)) && !t.isAfter(upTo);
    }

    @Override
    public String toString() {
        return "(" + (after == null ? "-inf" : after) + ", " + upTo + "]";
    }
}
