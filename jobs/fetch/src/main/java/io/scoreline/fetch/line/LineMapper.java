package io.scoreline.fetch.line;

import io.scoreline.source.DocumentMapper;
import io.scoreline.source.Timestamps;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;

/**
 * A source line straight to its input line, in one pass over the bytes: the same id, update time and bytes as the
 * tree path (Jackson tree, {@link DocumentMapper}, then DocumentLines), at a fraction of its cost. Returns null for
 * a line it cannot map so surely — malformed, unusual, or one to reject — and that line takes the tree path, which
 * then decides and words the rejection. Not thread-safe: one per thread.
 */
public final class LineMapper {
    /** A mapped document: its id, its update time and its input line, {@code line[0, length)} (no newline) until the next map. */
    public record Mapped(String id, Instant updatedAt, byte[] line, int length) {}

    private static final int NONE = -1;
    private static final byte[] START = utf8("{\"id\":"), UPDATED = utf8(",\"updated_at\":\""), FEATURES = utf8("\",\"features\":{"),
        END = utf8("}}");
    private final DocumentMapper rules;
    private final byte[] idField, updatedField;
    /** The --fields in their order, each once (a repeated one keeps its first place, as in the tree); null: every field. */
    private final byte[][] features;
    private final CanonicalJson json = new CanonicalJson();
    /** The line's members as they will be written ("key":value), and where each starts, its value starts, and it ends. */
    private final ByteBuilder members = new ByteBuilder();
    private int[] spans = new int[3 * 16];
    private final ByteBuilder out = new ByteBuilder();

    public LineMapper(DocumentMapper rules) {
        this.rules = rules;
        this.idField = utf8(rules.idField());
        this.updatedField = utf8(rules.updatedField());
        this.features = rules.featureFields().isEmpty() ? null
            : new LinkedHashSet<>(rules.featureFields()).stream().map(LineMapper::utf8).toArray(byte[][]::new);
    }

    /** The document in {@code line[0, length)}, or null when the tree path must take it. */
    public Mapped map(byte[] line, int length) {
        json.reset(line, length);
        members.reset();
        int p = json.skipSpace(0);
        if (p >= length || line[p] != '{') return null;
        p = json.skipSpace(p + 1);
        int count = 0, id = NONE, updated = NONE;
        while (true) {
            int start = members.length();
            p = json.key(p, members, 0);
            if (p == CanonicalJson.DEFER) return null;
            p = json.skipSpace(p);
            if (p >= length || line[p] != ':') return null;
            members.put(':');
            int value = members.length();
            p = json.value(json.skipSpace(p + 1), members, 1);
            if (p == CanonicalJson.DEFER) return null;
            if (json.keyIs(count, idField)) id = count;
            else if (json.keyIs(count, updatedField)) updated = count;
            span(count++, start, value, members.length());
            p = json.skipSpace(p);
            if (p >= length) return null;
            if (line[p] == '}') break;
            if (line[p] != ',') return null;
            p = json.skipSpace(p + 1);
        }
        if (json.skipSpace(p + 1) != length || id == NONE || updated == NONE) return null;
        String idText = id(id);
        Instant updatedAt = updatedAt(updated);
        if (idText == null || rules.idProblem(idText) != null || updatedAt == null || !Timestamps.plausible(updatedAt)) return null;
        write(idText, updatedAt, count, id, updated);
        return new Mapped(idText, updatedAt, out.array(), out.length());
    }

    private void span(int member, int start, int value, int end) {
        if (3 * member + 3 > spans.length) spans = Arrays.copyOf(spans, spans.length * 2);
        spans[3 * member] = start;
        spans[3 * member + 1] = value;
        spans[3 * member + 2] = end;
    }

    /** The id as the tree path takes it: a string's text (without escapes, so its bytes are its text) or an integer's digits. */
    private String id(int member) {
        byte[] m = members.array();
        int from = spans[3 * member + 1], to = spans[3 * member + 2];
        if (m[from] == '"') return plainString(m, from, to);
        for (int i = m[from] == '-' ? from + 1 : from; i < to; i++) {
            if (m[i] < '0' || m[i] > '9') return null;  // a fraction, an object, true...: the tree path decides
        }
        return new String(m, from, to - from, StandardCharsets.US_ASCII);
    }

    /** A string's time, or an integer's epoch milliseconds (within a long), as Timestamps reads them. */
    private Instant updatedAt(int member) {
        byte[] m = members.array();
        int from = spans[3 * member + 1], to = spans[3 * member + 2];
        if (m[from] == '"') {
            String text = plainString(m, from, to);
            return text == null ? null : Timestamps.parseText(text);
        }
        if (to - from > 19) return null;
        long millis = 0;
        for (int i = m[from] == '-' ? from + 1 : from; i < to; i++) {
            if (m[i] < '0' || m[i] > '9') return null;
            millis = millis * 10 + (m[i] - '0');
        }
        if (millis < 0) return null;  // past a long
        return Instant.ofEpochMilli(m[from] == '-' ? -millis : millis);
    }

    /** The text of the string written in m[from, to) when it holds no escape, else null. */
    private static String plainString(byte[] m, int from, int to) {
        for (int i = from + 1; i < to - 1; i++) {
            if (m[i] == '\\') return null;
        }
        return new String(m, from + 1, to - from - 2, StandardCharsets.UTF_8);
    }

    /** The input line: as DocumentLines writes it, the members copied as they were written above. */
    private void write(String idText, Instant updatedAt, int count, int id, int updated) {
        out.reset();
        out.put(START);
        if (members.array()[spans[3 * id + 1]] == '"') {
            out.put(members.array(), spans[3 * id + 1], spans[3 * id + 2] - spans[3 * id + 1]);
        } else {
            out.put('"');
            out.put(idText);
            out.put('"');
        }
        out.put(UPDATED);
        out.put(Timestamps.format(updatedAt));
        out.put(FEATURES);
        boolean first = true;
        if (features == null) {
            for (int i = 0; i < count; i++) {
                if (i != id && i != updated) first = member(i, first);
            }
        } else {
            for (byte[] field : features) {
                for (int i = 0; i < count; i++) {
                    if (json.keyIs(i, field)) {
                        first = member(i, first);
                        break;
                    }
                }
            }
        }
        out.put(END);
    }

    private boolean member(int i, boolean first) {
        if (!first) out.put(',');
        out.put(members.array(), spans[3 * i], spans[3 * i + 2] - spans[3 * i]);
        return false;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
