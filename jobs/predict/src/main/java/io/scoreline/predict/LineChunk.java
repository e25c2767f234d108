package io.scoreline.predict;

import java.nio.charset.StandardCharsets;

/** Up to a fixed number of input lines, as their UTF-8 bytes one after another; reused from chunk to chunk. */
final class LineChunk {
    private final Bytes bytes = new Bytes(1 << 20);
    private final int[] starts;
    private int count;

    LineChunk(int capacity) {
        starts = new int[capacity + 1];
    }

    boolean full() {
        return count == starts.length - 1;
    }

    int size() {
        return count;
    }

    void clear() {
        count = 0;
        bytes.truncate(0);
    }

    void add(byte[] line, int length) {
        bytes.add(line, 0, length);
        starts[++count] = bytes.size();
    }

    byte[] data() {
        return bytes.data();
    }

    int start(int i) {
        return starts[i];
    }

    int length(int i) {
        return starts[i + 1] - starts[i];
    }

    /** Line {@code i} as text (it is valid UTF-8: the reader checked it). */
    String text(int i) {
        return new String(bytes.data(), starts[i], length(i), StandardCharsets.UTF_8);
    }
}
