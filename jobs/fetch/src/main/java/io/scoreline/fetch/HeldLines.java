package io.scoreline.fetch;

import java.util.Arrays;

/**
 * Held versions by entry number, as columns of arrays: the id, the update time and where the line's copy is. Lines are
 * copied into large shared chunks, each just under a G1 region on small heaps, so it is allocated in place and never
 * moved; a long line gets an array of its own rather than wasting a chunk's tail. Nothing per entry but the id string,
 * where a map held four small objects the collector copied and traced. Shared by {@link HeldVersions} and
 * {@link AscendingVersions}, which decide the entry numbers. Not thread-safe.
 */
final class HeldLines {
    private static final int CHUNK = (1 << 20) - 64;
    private static final int OWN_ARRAY = CHUNK / 16;

    private String[] ids = new String[1024];
    private long[] seconds = new long[1024];
    private int[] nanos = new int[1024];
    private byte[][] lines = new byte[1024][];
    private int[] offsets = new int[1024], lengths = new int[1024];
    private byte[] chunk = new byte[0];
    private int used;

    /** Room for entries 0 to {@code entry}. */
    void reserve(int entry) {
        if (entry < ids.length) return;
        int n = Math.max(ids.length * 2, entry + 1);
        ids = Arrays.copyOf(ids, n);
        seconds = Arrays.copyOf(seconds, n);
        nanos = Arrays.copyOf(nanos, n);
        lines = Arrays.copyOf(lines, n);
        offsets = Arrays.copyOf(offsets, n);
        lengths = Arrays.copyOf(lengths, n);
    }

    /** Holds {@code v} of {@code id} as entry {@code entry} (reserved); the line is copied: its array may be reused. */
    void put(int entry, String id, Version v) {
        ids[entry] = id;
        set(entry, v);
    }

    /** Replaces the version of entry {@code entry}; the older line stays in its chunk until {@link #clear}. */
    void set(int entry, Version v) {
        int length = v.length();
        byte[] array;
        int offset;
        if (length > OWN_ARRAY) {
            array = new byte[length];
            offset = 0;
        } else {
            if (used + length > chunk.length) {
                chunk = new byte[CHUNK];
                used = 0;
            }
            array = chunk;
            offset = used;
            used += length;
        }
        System.arraycopy(v.bytes(), v.offset(), array, offset, length);
        lines[entry] = array;
        offsets[entry] = offset;
        lengths[entry] = length;
        seconds[entry] = v.seconds();
        nanos[entry] = v.nanos();
    }

    String id(int entry) {
        return ids[entry];
    }

    Version version(int entry) {
        return new Version(seconds[entry], nanos[entry], lines[entry], offsets[entry], lengths[entry]);
    }

    /** The ids of entries 0 to {@code count} - 1, in a new array. */
    String[] ids(int count) {
        return Arrays.copyOf(ids, count);
    }

    /** Drops the first {@code count} entries and starts new chunks (the held ones go once nothing refers to them). */
    void clear(int count) {
        Arrays.fill(ids, 0, count, null);
        Arrays.fill(lines, 0, count, null);
        chunk = new byte[0];
        used = 0;
    }
}
