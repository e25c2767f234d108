package io.scoreline.predict;

import java.util.Arrays;

/** A growable byte array written at its end: the lines of a slice, or the ids and times of its documents. */
final class Bytes {
    private byte[] data;
    private int size;

    Bytes(int capacity) {
        data = new byte[capacity];
    }

    byte[] data() {
        return data;
    }

    int size() {
        return size;
    }

    void truncate(int newSize) {
        size = newSize;
    }

    void add(byte b) {
        if (size == data.length) grow(1);
        data[size++] = b;
    }

    void add(byte[] b) {
        add(b, 0, b.length);
    }

    void add(byte[] b, int offset, int length) {
        if (size + length > data.length) grow(length);
        System.arraycopy(b, offset, data, size, length);
        size += length;
    }

    /** Characters known to be ASCII, one byte each. */
    void addAscii(char[] chars, int offset, int length) {
        if (size + length > data.length) grow(length);
        for (int i = 0; i < length; i++) data[size + i] = (byte) chars[offset + i];
        size += length;
    }

    /** A string known to be ASCII, one byte each. */
    void addAscii(String s) {
        int length = s.length();
        if (size + length > data.length) grow(length);
        s.getBytes(0, length, data, size);  // the deprecated low-byte copy is exactly right for ASCII, and allocates nothing
        size += length;
    }

    private void grow(int needed) {
        data = Arrays.copyOf(data, Math.max(size + needed, data.length * 2));
    }
}
