package io.scoreline.fetch;

import java.util.Arrays;

/**
 * The lines NewestPerId holds, copied into large shared arrays: a few big objects instead of a million small ones,
 * which the collector copied from space to space while the run lasted (most of fetch's GC work). A chunk is just
 * under a G1 region on small heaps, so it is allocated in place and never moved.
 */
final class LineArena {
    private static final int CHUNK = (1 << 20) - 64;
    /** A line longer than this gets an array of its own rather than wasting a chunk's tail. */
    private static final int OWN_ARRAY = CHUNK / 16;

    private byte[] chunk = new byte[0];
    private int used;

    /** {@code version} with its line copied here; the caller may then reuse the array it came in. */
    synchronized Version copy(Version version) {
        int length = version.length();
        if (length > OWN_ARRAY) {
            byte[] own = Arrays.copyOfRange(version.bytes(), version.offset(), version.offset() + length);
            return new Version(version.seconds(), version.nanos(), own, 0, length);
        }
        if (used + length > chunk.length) {
            chunk = new byte[CHUNK];
            used = 0;
        }
        System.arraycopy(version.bytes(), version.offset(), chunk, used, length);
        Version held = new Version(version.seconds(), version.nanos(), chunk, used, length);
        used += length;
        return held;
    }

    /** Starts new chunks: the lines held so far were spilled, their chunks go once nothing refers to them. */
    synchronized void clear() {
        chunk = new byte[0];
        used = 0;
    }
}
