package io.scoreline.fetch.line;

import io.scoreline.core.records.Json;
import java.nio.charset.StandardCharsets;

/** JSON strings as Jackson's generator writes them back (see CanonicalJson): its escapes, UTF-8 checked strictly. */
final class JsonStrings {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private JsonStrings() {}

    /** Copies the string at {@code p}; the position after it, or DEFER. */
    static int copy(byte[] in, int p, int end, ByteBuilder out) {
        out.put('"');
        int start = ++p;
        while (true) {
            int run = p;
            byte b = 0;
            while (p < end && (b = in[p]) >= 0x20 && b != '"' && b != '\\') p++;
            out.put(in, run, p - run);
            if (p >= end) return CanonicalJson.DEFER;
            if (b == '"') {
                out.put('"');
                // Jackson counts characters, never more than the bytes: under the limit in bytes, under it in characters
                return p - start <= Json.MAX_STRING_CHARS ? p + 1 : CanonicalJson.DEFER;
            }
            if (b == '\\') {
                p = escape(in, p, end, out);
            } else if (b >= 0) {
                return CanonicalJson.DEFER;  // a raw control character
            } else {
                p = multiByte(in, p, end, out);
            }
            if (p == CanonicalJson.DEFER) return CanonicalJson.DEFER;
        }
    }

    private static int escape(byte[] in, int p, int end, ByteBuilder out) {
        if (p + 1 >= end) return CanonicalJson.DEFER;
        int c;
        switch (in[p + 1]) {
            case '"' -> c = '"';
            case '\\' -> c = '\\';
            case '/' -> c = '/';
            case 'b' -> c = '\b';
            case 'f' -> c = '\f';
            case 'n' -> c = '\n';
            case 'r' -> c = '\r';
            case 't' -> c = '\t';
            case 'u' -> {
                c = p + 6 <= end ? hex(in, p + 2) : -1;
                if (c < 0 || Character.isSurrogate((char) c)) return CanonicalJson.DEFER;
                writeChar(c, out);
                return p + 6;
            }
            default -> {
                return CanonicalJson.DEFER;
            }
        }
        writeChar(c, out);
        return p + 2;
    }

    private static int hex(byte[] in, int p) {
        int c = 0;
        for (int i = p; i < p + 4; i++) {
            int d = Character.digit(in[i], 16);
            if (d < 0) return -1;
            c = c << 4 | d;
        }
        return c;
    }

    /** A character of the BMP (no surrogate) as Jackson's generator writes it inside a string. */
    private static void writeChar(int c, ByteBuilder out) {
        if (c < 0x20) {
            switch (c) {
                case '\b' -> out.put("\\b");
                case '\t' -> out.put("\\t");
                case '\n' -> out.put("\\n");
                case '\f' -> out.put("\\f");
                case '\r' -> out.put("\\r");
                default -> {
                    out.put("\\u00");
                    out.put(HEX[c >> 4]);
                    out.put(HEX[c & 0xF]);
                }
            }
        } else if (c == '"' || c == '\\') {
            out.put('\\');
            out.put(c);
        } else if (c < 0x80) {
            out.put(c);
        } else if (c == 0x2028 || c == 0x2029) {
            out.put(c == 0x2028 ? "\\u2028" : "\\u2029");  // Json's line separator escapes
        } else if (c < 0x800) {
            out.put(0xC0 | c >> 6);
            out.put(0x80 | c & 0x3F);
        } else {
            out.put(0xE0 | c >> 12);
            out.put(0x80 | c >> 6 & 0x3F);
            out.put(0x80 | c & 0x3F);
        }
    }

    /** A UTF-8 sequence, checked strictly (no overlong forms, no surrogates, nothing past U+10FFFF), copied as it is. */
    private static int multiByte(byte[] in, int p, int end, ByteBuilder out) {
        int b0 = in[p] & 0xFF, n, min = 0x80, max = 0xBF;
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            n = 2;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            n = 3;
            if (b0 == 0xE0) min = 0xA0;
            else if (b0 == 0xED) max = 0x9F;
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            n = 4;
            if (b0 == 0xF0) min = 0x90;
            else if (b0 == 0xF4) max = 0x8F;
        } else {
            return CanonicalJson.DEFER;
        }
        if (p + n > end) return CanonicalJson.DEFER;
        int b1 = in[p + 1] & 0xFF;
        if (b1 < min || b1 > max) return CanonicalJson.DEFER;
        for (int i = 2; i < n; i++) {
            if ((in[p + i] & 0xC0) != 0x80) return CanonicalJson.DEFER;
        }
        if (b0 == 0xE2 && b1 == 0x80 && (in[p + 2] == (byte) 0xA8 || in[p + 2] == (byte) 0xA9)) {
            writeChar(in[p + 2] == (byte) 0xA8 ? 0x2028 : 0x2029, out);
        } else {
            out.put(in, p, n);
        }
        return p + n;
    }
}
