package io.scoreline.fetch.line;

import java.util.Arrays;

/** A growable byte array, reused from line to line. */
final class ByteBuilder {
    private byte[] bytes = new byte[1024];
    private int length;

    int length() {
        return length;
    }

    byte[] array() {
        return bytes;
    }

    void reset() {
        length = 0;
    }

    void put(int b) {
        if (length == bytes.length) bytes = Arrays.copyOf(bytes, length * 2);
        bytes[length++] = (byte) b;
    }

    void put(byte[] from, int offset, int count) {
        if (length + count > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(length + count, length * 2));
        System.arraycopy(from, offset, bytes, length, count);
        length += count;
    }

    void put(byte[] from) {
        put(from, 0, from.length);
    }

    void put(String ascii) {
        int n = ascii.length();
        if (length + n > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(length + n, length * 2));
        for (int i = 0; i < n; i++) bytes[length + i] = (byte) ascii.charAt(i);
        length += n;
    }
}
