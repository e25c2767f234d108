package io.scoreline.core.records;

/**
 * The gzip member Scoreline writes: a standard header whose extra field (FEXTRA) holds one subfield, 'S' 'L', with the
 * member's whole length in bytes (header to trailer, 4 bytes little-endian), then raw deflate data, CRC-32 and size.
 * Every gzip reader skips a subfield it does not know (RFC 1952 2.3.1.1; BGZF's 'B' 'C' works the same way); one that
 * knows it can hop from header to header and inflate the members side by side.
 */
final class GzipMember {
    static final int HEADER = 20;  // 10 fixed bytes, XLEN (2), then the subfield: 'S' 'L', its length (2), the member length (4)
    static final int TRAILER = 8;
    /** Members hold at most {@link ParallelGzipOutputStream#BLOCK} bytes; these bounds leave room and stop a corrupt size. */
    static final int MAX_LENGTH = 64 << 20, MAX_INFLATED = 64 << 20;
    private static final byte[] FIXED = {
        0x1f, (byte) 0x8b, 8, 4 /* FEXTRA only */, 0, 0, 0, 0 /* no time */, 0, (byte) 255 /* OS unknown */,
        8, 0 /* XLEN */, 'S', 'L', 4, 0 /* subfield length */};

    private GzipMember() {}

    static void writeHeader(byte[] member, int length) {
        System.arraycopy(FIXED, 0, member, 0, FIXED.length);
        putInt(member, FIXED.length, length);
    }

    /** The member length a header announces, or -1 when {@code header} does not start with this layout. */
    static long length(byte[] header) {
        if (header.length < HEADER) return -1;
        for (int i = 0; i < FIXED.length; i++) if (header[i] != FIXED[i] && i != 9) return -1;  // any OS byte
        return getInt(header, FIXED.length) & 0xFFFF_FFFFL;
    }

    static void putInt(byte[] b, int at, int value) {
        for (int i = 0; i < 4; i++) b[at + i] = (byte) (value >>> (8 * i));
    }

    static int getInt(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }
}
