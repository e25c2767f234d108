package io.scoreline.predict;

import io.scoreline.model.ModelSpec.Feature;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the line fetch writes, byte by byte, when it has the plain form, and encodes the model's features straight
 * into a row: one object without whitespace or escapes ({@link PlainJson}); {@code id} and {@code updated_at} strings
 * of printable ASCII, the time in Instant's own form; {@code features} an object holding each model feature at most
 * once, in a form {@link PlainFeatures} encodes (a missing one when the Vectorizer would fill it in); every other field
 * a string, number, boolean or null. Anything else (a nested value, an escape, a huge number, a value the Vectorizer
 * would reject…) answers false and the line goes to {@link WholeTree}, which decides it, rejections included. On true
 * the row, id and time are exactly what {@link WholeTree} and the Vectorizer give (PlainDocumentParityTest). One
 * instance per thread.
 */
final class PlainDocument {
    /** Longer field names are left to Jackson and its limits. */
    private static final int MAX_NAME = 1000;
    /** Longer lines are left to Jackson, so that none of its string or document limits is passed unnoticed here. */
    static final int MAX_LINE = 1 << 20;
    private static final byte[] ID = ascii("id"), UPDATED_AT = ascii("updated_at"), FEATURES = ascii("features");

    private final PlainFeatures features;
    private final PlainJson in = new PlainJson();
    private final boolean[] seen;
    private final char[] time = new char[32];
    private int idStart, idLength, timeStart, timeLength;

    PlainDocument(List<Feature> features) {
        this.features = new PlainFeatures(features);
        this.seen = new boolean[features.size()];
    }

    /** Reads line {@code [off, off + len)} of {@code data} into {@code row}; on true {@link #idStart()} and the rest hold. */
    boolean read(byte[] data, int off, int len, double[] row) {
        if (!features.usable() || len > MAX_LINE) return false;
        in.reset(data, off, len);
        boolean hasId = false, hasTime = false, hasFeatures = false;
        if (!in.take('{')) return false;
        do {
            if (!name()) return false;
            if (in.is(ID)) {
                if (hasId || !in.string() || !in.printable()) return false;
                hasId = true;
                idStart = in.from;
                idLength = in.to - in.from;
            } else if (in.is(UPDATED_AT)) {
                if (hasTime || !in.string() || !in.printable() || !CanonicalInstant.is(time, 0, in.chars(time))) return false;
                hasTime = true;
                timeStart = in.from;
                timeLength = in.to - in.from;
            } else if (in.is(FEATURES)) {
                if (hasFeatures || !features(row)) return false;
                hasFeatures = true;
            } else if (!in.scalar()) {
                return false;
            }
        } while (in.take(','));
        return in.take('}') && in.atEnd() && hasId && hasTime && hasFeatures;
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
        Arrays.fill(seen, false);
        if (!in.take('{')) return false;
        if (!in.take('}')) {
            do {
                if (!name()) return false;
                int f = features.find(in);
                if (f < 0) {
                    if (!in.scalar()) return false;
                } else if (seen[f] || !features.read(f, in, row)) {
                    return false;  // a feature twice is the parser's to judge
                } else {
                    seen[f] = true;
                }
            } while (in.take(','));
            if (!in.take('}')) return false;
        }
        for (int f = 0; f < seen.length; f++) {
            if (!seen[f] && !features.missing(f, row)) return false;  // no default: the parser's path gives the reason
        }
        return true;
    }

    /** A field name and its colon; the name is then the cursor's last string. */
    private boolean name() {
        return in.string() && in.to - in.from <= MAX_NAME && in.take(':');
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
