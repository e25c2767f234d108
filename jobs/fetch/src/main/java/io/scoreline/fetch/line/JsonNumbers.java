package io.scoreline.fetch.line;

import java.nio.charset.StandardCharsets;

/** JSON numbers as Jackson's tree prints them back (see CanonicalJson). */
final class JsonNumbers {
    /** Longer numbers are left to Jackson (its limit is 1000 characters). */
    private static final int MAX_CHARS = 100;

    private JsonNumbers() {}

    /** Integers keep their digits (IntNode, LongNode, BigIntegerNode print them so), but -0 is 0; fractions print as doubles. */
    static int copy(byte[] in, int p, int end, ByteBuilder out) {
        int start = p;
        if (in[p] == '-') p++;
        int digits = p;
        if (p < end && in[p] == '0') p++;
        else p = digitsFrom(in, p, end);
        int intDigits = p - digits;
        if (intDigits == 0 || (p < end && isDigit(in[p]))) return CanonicalJson.DEFER;  // "-" alone, or a leading zero
        boolean fraction = false, exponent = false;
        if (p < end && in[p] == '.') {
            int from = p + 1;
            p = digitsFrom(in, from, end);
            if (p == from) return CanonicalJson.DEFER;
            fraction = true;
        }
        if (p < end && (in[p] == 'e' || in[p] == 'E')) {
            p++;
            if (p < end && (in[p] == '+' || in[p] == '-')) p++;
            int from = p;
            p = digitsFrom(in, from, end);
            if (p == from) return CanonicalJson.DEFER;
            exponent = true;
        }
        if (p - start > MAX_CHARS) return CanonicalJson.DEFER;
        if (!fraction && !exponent) {
            if (intDigits == 1 && in[digits] == '0') out.put('0');
            else out.put(in, start, p - start);
        } else if (!exponent && printsAsWritten(in, digits, intDigits, p)) {
            out.put(in, start, p - start);
        } else {
            double d = Double.parseDouble(new String(in, start, p - start, StandardCharsets.ISO_8859_1));
            if (!Double.isFinite(d)) return CanonicalJson.DEFER;  // Jackson writes infinity as a string
            out.put(Double.toString(d));
        }
        return p;
    }

    /**
     * Whether Double.toString prints the decimal in[digits, end) as it is written, so parsing and printing can be
     * skipped: plain notation (1e-3 <= |x| < 1e7), no trailing zero (but "5.0"), at most 15 significant digits (then
     * no other decimal as short rounds to the same double, and the shortest one is what Double.toString prints).
     */
    private static boolean printsAsWritten(byte[] in, int digits, int intDigits, int end) {
        int fractionDigits = end - (digits + intDigits + 1);
        if (intDigits > 7) return false;
        if (in[end - 1] == '0') return fractionDigits == 1;
        if (in[digits] != '0') return intDigits + fractionDigits <= 15;
        int zeros = 0;
        while (in[digits + 2 + zeros] == '0') zeros++;
        return zeros <= 2 && fractionDigits - zeros <= 15;
    }

    private static int digitsFrom(byte[] in, int p, int end) {
        while (p < end && isDigit(in[p])) p++;
        return p;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }
}
