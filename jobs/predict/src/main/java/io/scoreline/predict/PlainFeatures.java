package io.scoreline.predict;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.scoreline.core.records.Json;
import io.scoreline.model.ModelSpec.Feature;
import io.scoreline.model.ModelSpec.FeatureType;
import io.scoreline.model.Vectorizer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;

/**
 * The model's features as {@link PlainDocument} meets them: names and levels as the UTF-8 bytes a line carries, and
 * each value encoded as the Vectorizer encodes the node the parser would make — a number for a number feature,
 * {@code true}/{@code false} for a boolean, a level for a category; a missing or null value, and an unseen level, as
 * the Vectorizer itself encodes them (the declared default) when it can. Any other value answers false (the parser's
 * path decides it and gives the reasons).
 */
final class PlainFeatures {
    private final boolean usable;
    private final byte[][] names;
    private final FeatureType[] types;
    private final byte[][][] levels;
    /** What the Vectorizer makes of a missing value, and of an unseen level; NaN where it rejects the document. */
    private final double[] missing, unseen;

    PlainFeatures(List<Feature> features) {
        int n = features.size();
        names = new byte[n][];
        types = new FeatureType[n];
        levels = new byte[n][][];
        missing = new double[n];
        unseen = new double[n];
        var distinct = new HashSet<String>();
        boolean ok = true;
        for (int i = 0; i < n; i++) {
            Feature f = features.get(i);
            ok &= f.name() != null && plain(f.name()) && distinct.add(f.name()) && f.type() != null;
            names[i] = f.name() == null ? new byte[0] : utf8(f.name());
            types[i] = f.type();
            List<String> l = f.levels() == null ? List.of() : f.levels();
            levels[i] = new byte[l.size()][];
            // a level JSON cannot carry as plain bytes is never matched here: such a value comes escaped, or not at all
            boolean allPlain = true;
            for (int j = 0; j < l.size(); j++) {
                levels[i][j] = l.get(j) != null && plain(l.get(j)) ? utf8(l.get(j)) : null;
                allPlain &= levels[i][j] != null;
            }
            missing[i] = encoded(f, null);
            // a string longer than every level is none of them; with a level not matchable here, no string is known unseen
            int longest = l.stream().mapToInt(s -> s == null ? 0 : s.length()).max().orElse(0);
            unseen[i] = allPlain && f.type() == FeatureType.CATEGORY ? encoded(f, TextNode.valueOf("?".repeat(longest + 1))) : Double.NaN;
        }
        usable = ok;
    }

    /** False when some feature's name cannot be matched byte for byte (then no line is read here). */
    boolean usable() {
        return usable;
    }

    int size() {
        return names.length;
    }

    /** The feature whose name is the cursor's last string, or -1. */
    int find(PlainJson in) {
        for (int i = 0; i < names.length; i++) if (in.is(names[i])) return i;
        return -1;
    }

    /** Puts what the Vectorizer makes of feature {@code f} when it is missing into {@code row[f]}; false if it rejects. */
    boolean missing(int f, double[] row) {
        row[f] = missing[f];
        return !Double.isNaN(missing[f]);
    }

    /** Reads feature {@code f}'s value at the cursor into {@code row[f]}; false to leave the line to the parser. */
    boolean read(int f, PlainJson in, double[] row) {
        if (in.literal("null")) return missing(f, row);
        switch (types[f]) {
            case NUMBER -> {
                if (!in.number()) return false;
                double v = in.numberValue();
                row[f] = v;
                return Double.isFinite(v);
            }
            case BOOLEAN -> {
                if (in.literal("true")) row[f] = 1;
                else if (in.literal("false")) row[f] = 0;
                else return false;
                return true;
            }
            case CATEGORY -> {
                if (!in.string()) return false;
                byte[][] l = levels[f];
                for (int i = 0; i < l.length; i++) {
                    if (l[i] != null && in.is(l[i])) {
                        row[f] = i;
                        return true;
                    }
                }
                row[f] = unseen[f];  // an unseen level: the declared default, when it is a level
                return !Double.isNaN(unseen[f]);
            }
            default -> {
                return false;
            }
        }
    }

    /** The Vectorizer's value for feature {@code f} given {@code value} (null: missing), or NaN where it rejects. */
    private static double encoded(Feature f, TextNode value) {
        ObjectNode features = Json.MAPPER.createObjectNode();
        if (value != null) features.set(f.name(), value);
        try {
            return new Vectorizer(List.of(f)).row(features)[0];
        } catch (Vectorizer.InvalidFeature | RuntimeException e) {
            return Double.NaN;  // no default, or one the Vectorizer cannot use: the parser's path rejects with the reason
        }
    }

    /** JSON writes it as its plain UTF-8 bytes: no quote, backslash, control character or surrogate. */
    private static boolean plain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\' || c < 0x20 || Character.isSurrogate(c)) return false;
        }
        return true;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
