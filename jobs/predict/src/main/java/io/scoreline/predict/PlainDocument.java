package io.scoreline.predict;

import io.scoreline.model.ModelSpec;
import io.scoreline.model.ModelSpec.Feature;
import io.scoreline.model.ModelSpec.FeatureType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;

/**
 * Reads the line fetch writes, byte by byte, when it has the plainest form, and encodes the model's features straight
 * into a row: one object without whitespace or escapes; {@code id} and {@code updated_at} strings of printable ASCII,
 * the time in Instant's own form; {@code features} an object where each model feature appears once, a number for a
 * number feature, {@code true}/{@code false} for a boolean one, one of the levels for a category; every other field a
 * string, number, boolean or null. Anything else (a missing feature, a default to apply, a nested value, an escape, a
 * huge number…) answers false and the line goes to {@link DocumentFields}, which decides as before. On true the row,
 * id and time are exactly what {@link DocumentFields} and the Vectorizer give (PlainDocumentParityTest).
 * One instance per thread.
 */
final class PlainDocument {
    /** Longer names and numbers are left to Jackson and its limits. */
    private static final int MAX_NAME = 1000, MAX_NUMBER = 40;
    private static final double[] POW10 = new double[23];
    private static final byte[] ID = ascii("id"), UPDATED_AT = ascii("updated_at"), FEATURES = ascii("features");

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) POW10[i] = POW10[i - 1] * 10;  // exact up to 1e22
    }

    private final boolean usable;
    private final byte[][] names;
    private final FeatureType[] types;
    private final byte[][][] levels;
    private final boolean[] seen;
    private final char[] time = new char[32];
    private byte[] d;
    private int p, end;
    /** The last string's content, or the last number: {@code [from, to)} of {@link #d}. */
    private int from, to;
    private boolean integral;
    private int idStart, idLength, timeStart, timeLength;

    PlainDocument(List<Feature> features) {
        int n = features.size();
        names = new byte[n][];
        types = new FeatureType[n];
        levels = new byte[n][][];
        seen = new boolean[n];
        var distinct = new HashSet<String>();
        boolean ok = true;
        for (int i = 0; i < n; i++) {
            Feature f = features.get(i);
            ok &= f.name() != null && plainJson(f.name()) && distinct.add(f.name()) && f.type() != null;
            names[i] = utf8(f.name());
            types[i] = f.type();
            List<String> l = f.levels() == null ? List.of() : f.levels();
            levels[i] = new byte[l.size()][];
            // a level JSON cannot carry as plain bytes is never matched here: such a value comes escaped, or not at all
            for (int j = 0; j < l.size(); j++) levels[i][j] = l.get(j) != null && plainJson(l.get(j)) ? utf8(l.get(j)) : null;
        }
        usable = ok;
    }

    /** Reads line {@code [off, off + len)} of {@code data} into {@code row}; on true {@link #idStart()} and the rest hold. */
    boolean read(byte[] data, int off, int len, double[] row) {
        if (!usable || len > DocumentFields.MAX_LINE) return false;
        d = data;
        p = off;
        end = off + len;
        Arrays.fill(seen, false);
        boolean hasId = false, hasTime = false, hasFeatures = false;
        if (!take('{')) return false;
        do {
            if (!name()) return false;
            if (same(ID)) {
                if (hasId || !take('"') || !string() || !printable()) return false;
                hasId = true;
                idStart = from;
                idLength = to - from;
            } else if (same(UPDATED_AT)) {
                if (hasTime || !take('"') || !string() || !printable() || !canonicalTime()) return false;
                hasTime = true;
                timeStart = from;
                timeLength = to - from;
            } else if (same(FEATURES)) {
                if (hasFeatures || !features(row)) return false;
                hasFeatures = true;
            } else if (!scalar()) {
                return false;
            }
        } while (take(','));
        return take('}') && p == end && hasId && hasTime && hasFeatures;
    }

    int idStart() {
        return idStart;
    }

    int idLength() {
        return idLength;
    }

    int timeStart() {
        return timeStart;
    }

    int timeLength() {
        return timeLength;
    }

    private boolean features(double[] row) {
        if (!take('{')) return false;
        if (!take('}')) {
            do {
                if (!name()) return false;
                int f = feature();
                if (f < 0) {
                    if (!scalar()) return false;
                } else if (seen[f] || !value(f, row)) {
                    return false;  // a feature twice is the tree path's to judge
                } else {
                    seen[f] = true;
                }
            } while (take(','));
            if (!take('}')) return false;
        }
        for (boolean s : seen) if (!s) return false;  // defaults are the Vectorizer's
        return true;
    }

    /** The feature's value as the Vectorizer encodes it from the node DocumentFields makes; false to leave it to them. */
    private boolean value(int f, double[] row) {
        switch (types[f]) {
            case NUMBER -> {
                if (!number()) return false;
                double v = numberValue();
                if (!Double.isFinite(v)) return false;
                row[f] = v;
                return true;
            }
            case BOOLEAN -> {
                if (literal("true")) row[f] = 1;
                else if (literal("false")) row[f] = 0;
                else return false;
                return true;
            }
            case CATEGORY -> {
                if (!take('"') || !string()) return false;
                byte[][] l = levels[f];
                for (int i = 0; i < l.length; i++) {
                    if (l[i] != null && same(l[i])) {
                        row[f] = i;
                        return true;
                    }
                }
                return false;  // an unseen level: the declared default is the Vectorizer's to apply
            }
            default -> {
                return false;
            }
        }
    }

    /** A field name and its colon; its content is then {@code [from, to)}. */
    private boolean name() {
        return take('"') && string() && to - from <= MAX_NAME && take(':');
    }

    private int feature() {
        for (int i = 0; i < names.length; i++) if (same(names[i])) return i;
        return -1;
    }

    /** A string, number, boolean or null, skipped. */
    private boolean scalar() {
        if (p == end) return false;
        return switch (d[p]) {
            case '"' -> take('"') && string();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> number();
        };
    }

    /** After the opening quote: the content up to the closing quote, without escapes or control characters. */
    private boolean string() {
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

    /** JSON's number grammar, strictly (no leading zeros, no '+', digits after '.' and 'e'). */
    private boolean number() {
        from = p;
        take('-');
        if (take('0')) {
            // a zero is a whole integer part
        } else if (!digits()) {
            return false;
        }
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

    private boolean digits() {
        int start = p;
        while (p < end && d[p] >= '0' && d[p] <= '9') p++;
        return p > start;
    }

    /**
     * The last number as a double, as Jackson's node gives it: an integer exactly (then rounded once, as
     * {@code (double) long}), a decimal as {@link Double#parseDouble} rounds it. Up to 15 digits and 22 decimals one
     * division does that exactly (both operands exact, the quotient rounded once); otherwise the JDK parses it.
     * NaN for an integer too long for a long, which then takes the node path.
     */
    private double numberValue() {
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

    private double parsed() {
        return Double.parseDouble(new String(d, from, to - from, StandardCharsets.ISO_8859_1));
    }

    private boolean printable() {
        for (int i = from; i < to; i++) if (d[i] < 0x20 || d[i] > 0x7e) return false;
        return true;
    }

    private boolean canonicalTime() {
        int len = to - from;
        if (len > time.length) return false;
        for (int i = 0; i < len; i++) time[i] = (char) d[from + i];
        return CanonicalInstant.is(time, 0, len);
    }

    private boolean literal(String word) {
        int n = word.length();
        if (end - p < n) return false;
        for (int i = 0; i < n; i++) if (d[p + i] != word.charAt(i)) return false;
        p += n;
        return true;
    }

    private boolean take(char c) {
        if (p < end && d[p] == c) {
            p++;
            return true;
        }
        return false;
    }

    /** Whether the last string's content is these bytes. */
    private boolean same(byte[] b) {
        return Arrays.equals(d, from, to, b, 0, b.length);
    }

    /** A name that JSON writes as its plain UTF-8 bytes: no quote, backslash or control character. */
    private static boolean plainJson(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\' || c < 0x20 || Character.isSurrogate(c)) return false;
        }
        return true;
    }

    private static byte[] utf8(String s) {
        return s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
