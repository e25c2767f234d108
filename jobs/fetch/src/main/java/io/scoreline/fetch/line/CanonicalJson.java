package io.scoreline.fetch.line;

import io.scoreline.core.records.Json;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Copies JSON values out of a source line as the tree path writes them back (Jackson's tree, then its generator):
 * strings escaped its way, integers and doubles printed as its nodes print them. On anything it cannot prove gives
 * those same bytes, or that Jackson would refuse (bad syntax or UTF-8, a duplicate key, a surrogate escape, deep
 * nesting, a string or number over a limit), it gives up with {@link #DEFER}: the line then takes the tree path, which also
 * words the rejection. Object keys are kept (as positions in the line) to find duplicates, as Jackson's strict mode does.
 */
final class CanonicalJson {
    static final int DEFER = -1;
    private static final int MAX_DEPTH = 64, MAX_KEYS = 256, MAX_KEY_BYTES = 1000, MAX_NUMBER_CHARS = 100;
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private byte[] in;
    private int end;
    /** The keys of the objects open now, outermost first: start and end in the line, two ints per key. */
    private int[] keys = new int[64];
    private int keyTop;
    /** Whether the last string read held an escape. */
    private boolean escaped;

    void reset(byte[] line, int length) {
        in = line;
        end = length;
        keyTop = 0;
    }

    int skipSpace(int p) {
        while (p < end) {
            byte b = in[p];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') break;
            p++;
        }
        return p;
    }

    /** Copies the value at {@code p} to {@code out}; the position after it, or DEFER. */
    int value(int p, ByteBuilder out, int depth) {
        if (p >= end) return DEFER;
        return switch (in[p]) {
            case '"' -> string(p, out);
            case '{' -> object(p, out, depth + 1);
            case '[' -> array(p, out, depth + 1);
            case 't' -> literal(p, "true", out);
            case 'f' -> literal(p, "false", out);
            case 'n' -> literal(p, "null", out);
            case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> number(p, out);
            default -> DEFER;
        };
    }

    /**
     * Copies the key at {@code p} (a string without escapes, unlike the other keys of its object since key {@code base}
     * of the open ones); the position after it, or DEFER.
     */
    int key(int p, ByteBuilder out, int base) {
        if (p >= end || in[p] != '"') return DEFER;
        int after = string(p, out);
        if (after == DEFER || escaped || after - p - 2 > MAX_KEY_BYTES || keyTop - base >= 2 * MAX_KEYS) return DEFER;
        int from = p + 1, to = after - 1;
        for (int k = base; k < keyTop; k += 2) {
            if (keys[k + 1] - keys[k] == to - from && Arrays.equals(in, keys[k], keys[k + 1], in, from, to)) return DEFER;
        }
        if (keyTop == keys.length) keys = Arrays.copyOf(keys, keyTop * 2);
        keys[keyTop++] = from;
        keys[keyTop++] = to;
        return after;
    }

    /** Whether key {@code index} of the outermost object is {@code name} (UTF-8). */
    boolean keyIs(int index, byte[] name) {
        int from = keys[2 * index], to = keys[2 * index + 1];
        return to - from == name.length && Arrays.equals(in, from, to, name, 0, name.length);
    }

    /** Whether the last string read held an escape. */
    boolean escaped() {
        return escaped;
    }

    private int object(int p, ByteBuilder out, int depth) {
        if (depth > MAX_DEPTH) return DEFER;
        int base = keyTop;
        out.put('{');
        p = skipSpace(p + 1);
        if (p < end && in[p] == '}') {
            out.put('}');
            return p + 1;
        }
        while (true) {
            p = key(p, out, base);
            if (p == DEFER) return DEFER;
            p = skipSpace(p);
            if (p >= end || in[p] != ':') return DEFER;
            out.put(':');
            p = value(skipSpace(p + 1), out, depth);
            if (p == DEFER) return DEFER;
            p = skipSpace(p);
            if (p >= end) return DEFER;
            if (in[p] == '}') {
                out.put('}');
                keyTop = base;
                return p + 1;
            }
            if (in[p] != ',') return DEFER;
            out.put(',');
            p = skipSpace(p + 1);
        }
    }

    private int array(int p, ByteBuilder out, int depth) {
        if (depth > MAX_DEPTH) return DEFER;
        out.put('[');
        p = skipSpace(p + 1);
        if (p < end && in[p] == ']') {
            out.put(']');
            return p + 1;
        }
        while (true) {
            p = value(p, out, depth);
            if (p == DEFER) return DEFER;
            p = skipSpace(p);
            if (p >= end) return DEFER;
            if (in[p] == ']') {
                out.put(']');
                return p + 1;
            }
            if (in[p] != ',') return DEFER;
            out.put(',');
            p = skipSpace(p + 1);
        }
    }

    private int literal(int p, String word, ByteBuilder out) {
        if (p + word.length() > end) return DEFER;
        for (int i = 0; i < word.length(); i++) {
            if (in[p + i] != word.charAt(i)) return DEFER;
        }
        out.put(word);
        return p + word.length();
    }

    /** Integers keep their digits (IntNode, LongNode, BigIntegerNode print them so), but -0 is 0; fractions print as doubles. */
    private int number(int p, ByteBuilder out) {
        int start = p;
        if (in[p] == '-') p++;
        int digits = p;
        if (p < end && in[p] == '0') p++;
        else p = digitsFrom(p);
        int intDigits = p - digits;
        if (intDigits == 0 || (p < end && isDigit(in[p]))) return DEFER;  // "-" alone, or a leading zero
        boolean fraction = false, exponent = false;
        if (p < end && in[p] == '.') {
            int from = p + 1;
            p = digitsFrom(from);
            if (p == from) return DEFER;
            fraction = true;
        }
        if (p < end && (in[p] == 'e' || in[p] == 'E')) {
            p++;
            if (p < end && (in[p] == '+' || in[p] == '-')) p++;
            int from = p;
            p = digitsFrom(from);
            if (p == from) return DEFER;
            exponent = true;
        }
        if (p - start > MAX_NUMBER_CHARS) return DEFER;
        if (!fraction && !exponent) {
            if (intDigits == 1 && in[digits] == '0') out.put('0');
            else out.put(in, start, p - start);
        } else if (!exponent && printsAsWritten(digits, intDigits, p)) {
            out.put(in, start, p - start);
        } else {
            double d = Double.parseDouble(new String(in, start, p - start, StandardCharsets.ISO_8859_1));
            if (!Double.isFinite(d)) return DEFER;  // Jackson writes infinity as a string
            out.put(Double.toString(d));
        }
        return p;
    }

    /**
     * Whether Double.toString prints the decimal in[digits, end) as it is written, so parsing and printing can be
     * skipped: plain notation (1e-3 <= |x| < 1e7), no trailing zero (but "5.0"), at most 15 significant digits (then
     * no other decimal as short rounds to the same double, and the shortest one is what Double.toString prints).
     */
    private boolean printsAsWritten(int digits, int intDigits, int end) {
        int fractionDigits = end - (digits + intDigits + 1);
        if (intDigits > 7) return false;
        if (in[end - 1] == '0') return fractionDigits == 1;
        if (in[digits] != '0') return intDigits + fractionDigits <= 15;
        int zeros = 0;
        while (in[digits + 2 + zeros] == '0') zeros++;
        return zeros <= 2 && fractionDigits - zeros <= 15;
    }

    private int digitsFrom(int p) {
        while (p < end && isDigit(in[p])) p++;
        return p;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private int string(int p, ByteBuilder out) {
        escaped = false;
        out.put('"');
        int start = ++p;
        while (true) {
            int run = p;
            byte b = 0;
            while (p < end && (b = in[p]) >= 0x20 && b != '"' && b != '\\') p++;
            out.put(in, run, p - run);
            if (p >= end) return DEFER;
            if (b == '"') {
                out.put('"');
                // Jackson counts characters, never more than the bytes: under the limit in bytes, under it in characters
                return p - start <= Json.MAX_STRING_CHARS ? p + 1 : DEFER;
            }
            if (b == '\\') {
                escaped = true;
                p = escape(p, out);
            } else if (b >= 0) {
                return DEFER;  // a raw control character
            } else {
                p = multiByte(p, out);
            }
            if (p == DEFER) return DEFER;
        }
    }

    private int escape(int p, ByteBuilder out) {
        if (p + 1 >= end) return DEFER;
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
                c = p + 6 <= end ? hex(p + 2) : -1;
                if (c < 0 || Character.isSurrogate((char) c)) return DEFER;
                writeChar(c, out);
                return p + 6;
            }
            default -> {
                return DEFER;
            }
        }
        writeChar(c, out);
        return p + 2;
    }

    private int hex(int p) {
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
    private int multiByte(int p, ByteBuilder out) {
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
            return DEFER;
        }
        if (p + n > end) return DEFER;
        int b1 = in[p + 1] & 0xFF;
        if (b1 < min || b1 > max) return DEFER;
        for (int i = 2; i < n; i++) {
            if ((in[p + i] & 0xC0) != 0x80) return DEFER;
        }
        if (b0 == 0xE2 && b1 == 0x80 && (in[p + 2] == (byte) 0xA8 || in[p + 2] == (byte) 0xA9)) {
            writeChar(in[p + 2] == (byte) 0xA8 ? 0x2028 : 0x2029, out);
        } else {
            out.put(in, p, n);
        }
        return p + n;
    }
}
