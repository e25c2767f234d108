package io.scoreline.fetch.line;

import java.util.Arrays;

/**
 * Copies JSON values out of a source line as the tree path writes them back (Jackson's tree, then its generator):
 * strings escaped its way, integers and doubles printed as its nodes print them. On anything it cannot prove gives
 * those same bytes, or that Jackson would refuse (bad syntax or UTF-8, a duplicate key, a surrogate escape, deep
 * nesting, a string or number over a limit), it gives up with {@link #DEFER}: the line then takes the tree path,
 * which also words the rejection. Object keys are kept (as positions in the line) to find duplicates, as Jackson's
 * strict mode does.
 */
final class CanonicalJson {
    static final int DEFER = -1;
    private static final int MAX_DEPTH = 64, MAX_KEYS = 256, MAX_KEY_BYTES = 1000;

    private byte[] in;
    private int end;
    /** The keys of the objects open now, outermost first: start and end in the line, two ints per key. */
    private int[] keys = new int[64];
    private int keyTop;

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
            case '"' -> JsonStrings.copy(in, p, end, out);
            case '{' -> object(p, out, depth + 1);
            case '[' -> array(p, out, depth + 1);
            case 't' -> literal(p, "true", out);
            case 'f' -> literal(p, "false", out);
            case 'n' -> literal(p, "null", out);
            case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> JsonNumbers.copy(in, p, end, out);
            default -> DEFER;
        };
    }

    /**
     * Copies the key at {@code p} (a string without escapes, unlike the other keys of its object since key {@code base}
     * of the open ones); the position after it, or DEFER.
     */
    int key(int p, ByteBuilder out, int base) {
        if (p >= end || in[p] != '"') return DEFER;
        int after = JsonStrings.copy(in, p, end, out);
        if (after == DEFER || after - p - 2 > MAX_KEY_BYTES || keyTop - base >= 2 * MAX_KEYS) return DEFER;
        int from = p + 1, to = after - 1;
        for (int i = from; i < to; i++) {
            if (in[i] == '\\') return DEFER;  // an escaped key: compared by its text, which only Jackson decodes
        }
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

}
