package io.scoreline.predict;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A cursor over the bytes of one line for {@link PlainDocument}: only the plainest JSON tokens (strings without escapes
 * or control characters, numbers in JSON's strict grammar, the three literals) and no whitespace. Each method answers
 * false where the line leaves that form; the caller then hands the line to the parser.
 */
final class PlainJson {
    /** Longer numbers are left to Jackson and its limits. */
    private static final int MAX_NUMBER = 40;
    private static final double[] POW10 = new double[23];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) POW10[i] = POW10[i - 1] * 10;  // exact up to 1e22
    }

    private byte[] d;
    private int p, end;
    /** The last string's content, or the last number: {@code [from, to)} of the line's array. */
    int from, to;
    private boolean integral;

    void reset(byte[] data, int off, int len) {
        d = data;
        p = off;
        end = off + len;
    }

    boolean atEnd() {
        return p == end;
    }

    boolean take(char c) {
        if (p < end && d[p] == c) {
            p++;
            return true;
        }
        return false;
    }

    /** A quoted string without escapes or control characters; its content is then {@code [from, to)}. */
    boolean string() {
        if (!take('"')) return false;
        from = p;
        while (p < end) {
            byte b = d[p++];
            if (b == '"') {
                to = p - 1;
                return true;
            }
            if (b == '\\' || (b >= 0 && b < 0x20)) return false;
        }
        return false;
    }

    boolean literal(String word) {
        int n = word.length();
        if (end - p < n) return false;
        for (int i = 0; i < n; i++) if (d[p + i] != word.charAt(i)) return false;
        p += n;
        return true;
    }

    /** A string, number, boolean or null, skipped. */
    boolean scalar() {
        if (p == end) return false;
        return switch (d[p]) {
            case '"' -> string();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> number();
        };
    }

    /** JSON's number grammar, strictly (no leading zeros, no '+', digits after '.' and 'e'); it is then {@code [from, to)}. */
    boolean number() {
        from = p;
        take('-');
        if (!take('0') && !digits()) return false;
        integral = true;
        if (take('.')) {
            integral = false;
            if (!digits()) return false;
        }
        if (p < end && (d[p] == 'e' || d[p] == 'E')) {
            integral = false;
            p++;
            if (!take('+')) take('-');
            if (!digits()) return false;
        }
        to = p;
        return to - from <= MAX_NUMBER;
    }

    /**
     * The last number as a double, as Jackson's node gives it: an integer exactly, then rounded once as
     * {@code (double) long}; a decimal as {@link Double#parseDouble} rounds it. Up to 15 digits and 22 decimals one
     * division does that exactly (both operands exact, the quotient rounded once); otherwise the JDK parses it. NaN for
     * an integer too long for a long, which then takes the parser's path.
     */
    double numberValue() {
        boolean negative = d[from] == '-';
        long m = 0;
        int digits = 0, scale = 0;
        boolean fraction = false;
        for (int i = negative ? from + 1 : from; i < to; i++) {
            byte b = d[i];
            if (b == '.') {
                fraction = true;
            } else if (b == 'e' || b == 'E' || ++digits > 18) {
                return integral ? Double.NaN : parsed();
            } else {
                m = m * 10 + (b - '0');
                if (fraction) scale++;
            }
        }
        if (integral) return (double) (negative ? -m : m);  // "-0" is the integer 0
        if (m >= 1L << 53 || scale >= POW10.length) return parsed();
        double v = m / POW10[scale];
        return negative ? -v : v;
    }

    /** Whether the last string is printable ASCII, written back byte for byte. */
    boolean printable() {
        for (int i = from; i < to; i++) if (d[i] < 0x20 || d[i] > 0x7e) return false;
        return true;
    }

    /** Whether the last string's content is these bytes. */
    boolean is(byte[] b) {
        return Arrays.equals(d, from, to, b, 0, b.length);
    }

    /** The last string's content as characters, when it is ASCII and fits. */
    int chars(char[] into) {
        int len = to - from;
        if (len > into.length) return -1;
        for (int i = 0; i < len; i++) into[i] = (char) d[from + i];
        return len;
    }

    private boolean digits() {
        int start = p;
        while (p < end && d[p] >= '0' && d[p] <= '9') p++;
        return p > start;
    }

    private double parsed() {
        return Double.parseDouble(new String(d, from, to - from, StandardCharsets.ISO_8859_1));
    }
}
