package io.scoreline.core.records;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Lines of a stream as raw bytes, so the JSON parser sees the bytes themselves and can refuse invalid UTF-8 (a
 * character decoder would silently turn it into U+FFFD and merge distinct ids). A line longer than the limit is
 * skipped to its end and reported by its length, never held in memory whole.
 */
public final class ByteLines {
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
            while (position < limit && buffer[position] != '\n') position++;
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
