package io.scoreline.fetch;

import java.util.Arrays;

/**
 * Versions that arrived in strictly increasing order of id, held as they came: a run that is already sorted and has
 * one version per id, so it needs neither the table's probes nor a sort (a full export is often in id order). The
 * lines are copied into shared chunks like the table's. Not thread-safe: NewestPerId adds under its lock.
 */
final class AscendingVersions {
    private String[] ids = new String[1024];
    private long[] seconds = new long[1024];
    private int[] nanos = new int[1024];
    private byte[][] lines = new byte[1024][];
    private int[] offsets = new int[1024], lengths = new int[1024];
    private int count;
    private final LineChunks chunks = new LineChunks();

    int count() {
        return count;
    }

    /** Whether {@code id} comes after every id held, so that {@link #add} keeps the order. */
    boolean follows(String id) {
        return count == 0 || id.compareTo(ids[count - 1]) > 0;
    }

    /** Adds a version whose id {@link #follows}; the line is copied, so its array may be reused. */
    void add(String id, Version v) {
        if (count == ids.length) grow();
        chunks.copy(v);
        ids[count] = id;
        seconds[count] = v.seconds();
        nanos[count] = v.nanos();
        lines[count] = chunks.array();
        offsets[count] = chunks.offset();
        lengths[count] = v.length();
        count++;
    }

    /** Drops every version. */
    void clear() {
        Arrays.fill(ids, 0, count, null);
        Arrays.fill(lines, 0, count, null);
        count = 0;
        chunks.clear();
    }

    /** The versions in their (increasing) order of id; valid until the next add or clear. */
    VersionCursor cursor() {
        return new VersionCursor() {
            private int next;

            @Override
            public String id() {
                return next < count ? ids[next] : null;
            }

            @Override
            public Version version() {
                return new Version(seconds[next], nanos[next], lines[next], offsets[next], lengths[next]);
            }

            @Override
            public void advance() {
                next++;
            }
        };
    }

    private void grow() {
        int n = ids.length * 2;
        ids = Arrays.copyOf(ids, n);
        seconds = Arrays.copyOf(seconds, n);
        nanos = Arrays.copyOf(nanos, n);
        lines = Arrays.copyOf(lines, n);
        offsets = Arrays.copyOf(offsets, n);
        lengths = Arrays.copyOf(lengths, n);
    }
}
