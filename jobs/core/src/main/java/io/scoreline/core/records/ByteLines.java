package io.scoreline.core.records;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Lines of a stream as raw bytes, so the JSON parser sees the bytes themselves and can refuse invalid UTF-8 (a
 * character decoder would silently turn it into U+FFFD and merge distinct ids). A line longer than the limit is
 * skipped to its end and reported by its length, never held in memory whole.
 */
public final class ByteLines {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL, ONES = 0x0101010101010101L, HIGHS = 0x8080808080808080L;
    private final InputStream in;
    private final int maxLength;
    private final byte[] buffer = new byte[1 << 16];
    private int position, limit;
    private byte[] line = new byte[1024];
    private int length;
    private long skippedLength = -1;

    public ByteLines(InputStream in, int maxLength) {
        this.in = in;
        this.maxLength = maxLength;
    }

    /** Advances to the next line; false at the end of the stream. */
    public boolean next() throws IOException {
        length = 0;
        skippedLength = -1;
        long total = 0;
        boolean any = false;
        while (true) {
            if (position == limit) {
                limit = in.read(buffer, 0, buffer.length);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    return any;
                }
            }
            any = true;
            int start = position;
            position = newline(position);
            int chunk = position - start;
            total += chunk;
            if (total > maxLength) skippedLength = total;
            else append(start, chunk);
            if (position < limit) {  // found the newline
                position++;
                return true;
            }
        }
    }

    /** Where the next newline is from {@code from} on, or the limit: eight bytes at a time, then one by one. */
    private int newline(int from) {
        int p = from;
        for (; p + 8 <= limit; p += 8) {
            long x = (long) LONGS.get(buffer, p) ^ NEWLINES;
            long zero = (x - ONES) & ~x & HIGHS;  // the lowest flagged byte is the first newline (little-endian)
            if (zero != 0) return p + (Long.numberOfTrailingZeros(zero) >>> 3);
        }
        while (p < limit && buffer[p] != '\n') p++;
        return p;
    }

    private void append(int start, int chunk) {
        if (length + chunk > line.length) line = Arrays.copyOf(line, Math.max(length + chunk, line.length * 2));
        System.arraycopy(buffer, start, line, length, chunk);
        length += chunk;
    }

    /** The current line's bytes in [0, length()), without the newline; valid until the next call of next(). */
    public byte[] bytes() {
        return line;
    }

    public int length() {
        return length;
    }

    /** The length of the current line when it was over the limit (its bytes are then not kept), else -1. */
    public long overLimit() {
        return skippedLength;
    }
}
