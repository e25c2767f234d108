package io.scoreline.model.onnx;

import java.nio.charset.StandardCharsets;

/**
 * A reader of protocol buffers' wire format (varints, fixed 32/64-bit and length-delimited fields), just enough to
 * read the parts of an ONNX model the tree scorer needs. Fields are read in order; {@link #skip} passes over the rest.
 */
final class Wire {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int BYTES = 2;
    static final int FIXED32 = 5;

    /** The bytes are not a well-formed message (truncated or not protobuf). */
    static final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    private final byte[] bytes;
    private int at;
    private final int end;
    private int tag;

    Wire(byte[] bytes) {
        this(bytes, 0, bytes.length);
    }

    private Wire(byte[] bytes, int from, int end) {
        this.bytes = bytes;
        this.at = from;
        this.end = end;
    }

    /** Advances to the next field and returns its number, or 0 at the end of the message. */
    int next() {
        if (at >= end) return 0;
        long key = varint();
        tag = (int) (key & 7);
        int field = (int) (key >>> 3);
        if (field <= 0) throw new Malformed("field number " + field);
        return field;
    }

    int type() {
        return tag;
    }

    long varint() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (at >= end) throw new Malformed("truncated varint");
            byte b = bytes[at++];
            value |= (long) (b & 0x7f) << shift;
            if (b >= 0) return value;
        }
        throw new Malformed("varint longer than 10 bytes");
    }

    int fixed32() {
        need(4);
        int v = (bytes[at] & 0xff) | (bytes[at + 1] & 0xff) << 8 | (bytes[at + 2] & 0xff) << 16 | (bytes[at + 3] & 0xff) << 24;
        at += 4;
        return v;
    }

    long fixed64() {
        long lo = fixed32() & 0xffffffffL;
        long hi = fixed32() & 0xffffffffL;
        return lo | hi << 32;
    }

    /** The current length-delimited field as a reader of its own. */
    Wire message() {
        int length = length();
        Wire inner = new Wire(bytes, at, at + length);
        at += length;
        return inner;
    }

    String string() {
        int length = length();
        String s = new String(bytes, at, length, StandardCharsets.UTF_8);
        at += length;
        return s;
    }

    byte[] raw() {
        int length = length();
        byte[] out = java.util.Arrays.copyOfRange(bytes, at, at + length);
        at += length;
        return out;
    }

    boolean atEnd() {
        return at >= end;
    }

    void skip() {
        switch (tag) {
            case VARINT -> varint();
            case FIXED64 -> { need(8); at += 8; }
            case BYTES -> {
                int length = length(); // before reading at: length() moves it past the varint
                at += length;
            }
            case FIXED32 -> { need(4); at += 4; }
            default -> throw new Malformed("wire type " + tag);
        }
    }

    private int length() {
        long length = varint();
        if (length < 0 || length > end - at) throw new Malformed("length " + length + " beyond the message");
        return (int) length;
    }

    private void need(int n) {
        if (end - at < n) throw new Malformed("truncated field");
    }
}
