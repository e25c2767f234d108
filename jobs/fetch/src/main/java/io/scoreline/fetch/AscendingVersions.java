package io.scoreline.fetch;

/**
 * Versions that arrived in strictly increasing order of id, held as they came: a run that is already sorted and has
 * one version per id, so it needs neither the table's probes nor a sort (a full export is often in id order). Kept
 * in {@link HeldLines} like the table's. Not thread-safe: NewestPerId adds under its lock.
 */
final class AscendingVersions {
    private final HeldLines held = new HeldLines();
    private int count;

    int count() {
        return count;
    }

    /** Whether {@code id} comes after every id held, so that {@link #add} keeps the order. */
    boolean follows(String id) {
        return count == 0 || id.compareTo(held.id(count - 1)) > 0;
    }

    /** Adds a version whose id {@link #follows}; the line is copied, so its array may be reused. */
    void add(String id, Version v) {
        held.reserve(count);
        held.put(count++, id, v);
    }

    /** Drops every version. */
    void clear() {
        held.clear(count);
        count = 0;
    }

    /** The versions in their (increasing) order of id; valid until the next add or clear. */
    VersionCursor cursor() {
        return new VersionCursor() {
            private int next;

            @Override
            public String id() {
                return next < count ? held.id(next) : null;
            }

            @Override
            public Version version() {
                return held.version(next);
            }

            @Override
            public void advance() {
                next++;
            }
        };
    }
}
