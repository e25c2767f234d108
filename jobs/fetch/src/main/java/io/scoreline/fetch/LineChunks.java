package io.scoreline.fetch;

/**
 * Where held lines are copied: large shared chunks, each just under a G1 region on small heaps, so it is allocated
 * in place and never moved; a long line gets an array of its own rather than wasting a chunk's tail. Not thread-safe.
 */
final class LineChunks {
    private static final int CHUNK = (1 << 20) - 64;
    private static final int OWN_ARRAY = CHUNK / 16;

    private byte[] chunk = new byte[0];
    private int used;

    /** The array {@link #copy} put the last line in, and where in it. */
    private byte[] array;
    private int offset;

    /** Copies {@code v}'s line; {@link #array()} and {@link #offset()} then say where it went. */
    void copy(Version v) {
        int length = v.length();
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
    }

    byte[] array() {
        return array;
    }

    int offset() {
        return offset;
    }

    /** Starts new chunks; the held ones go once nothing refers to them. */
    void clear() {
        chunk = new byte[0];
        used = 0;
        array = null;
    }
}
