package io.scoreline.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scoreline.core.records.Json;
import io.scoreline.fetch.line.LineMapper;
import io.scoreline.source.DocumentMapper;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The fast line mapper against the tree path it stands in for (Jackson tree, DocumentMapper, DocumentLines): on every
 * line it maps, the same id, update time and bytes; every line the tree path rejects, it leaves to the tree path.
 */
class LineMapperTest {
    private static final DocumentMapper ALL = new DocumentMapper("id", "updated_at", List.of());
    private static final DocumentMapper SOME = new DocumentMapper("id", "updated_at", List.of("c", "a", "missing", "a", "id"));
    private static final String T = "\"updated_at\":\"2026-01-01T10:00:00Z\"";

    /** The tree path's line for {@code json}, or null when it rejects it. */
    private static byte[] treeLine(DocumentMapper mapper, byte[] json) {
        try {
            JsonNode node = Json.DOCUMENTS.readTree(json);
            if (!(node instanceof ObjectNode doc)) return null;
            return mapper.map(doc, null) instanceof DocumentMapper.Mapped m ? DocumentLines.of(m.document()) : null;
        } catch (Exception rejected) {
            return null;
        }
    }

    /** Checks the fast path against the tree path on {@code json}; returns whether the fast path took it. */
    private static boolean same(DocumentMapper mapper, byte[] json) {
        byte[] expected = treeLine(mapper, json);
        LineMapper.Mapped fast = new LineMapper(mapper).map(json, json.length);
        String text = new String(json, StandardCharsets.UTF_8);
        if (fast == null) return false;
        assertNotNull(expected, () -> "the fast path took a line the tree path rejects: " + text);
        assertEquals(new String(expected, StandardCharsets.UTF_8), new String(fast.line(), 0, fast.length(), StandardCharsets.UTF_8), text);
        assertArrayEquals(expected, Arrays.copyOf(fast.line(), fast.length()), text);
        DocumentMapper.Mapped tree = (DocumentMapper.Mapped) mapper.map((ObjectNode) readTree(json), null);
        assertEquals(tree.document().id(), fast.id(), text);
        assertEquals(tree.document().updatedAt(), fast.updatedAt(), text);
        return true;
    }

    private static JsonNode readTree(byte[] json) {
        try {
            return Json.DOCUMENTS.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void fast(String json) {
        for (DocumentMapper mapper : List.of(ALL, SOME)) {
            assertEquals(true, same(mapper, json.getBytes(StandardCharsets.UTF_8)), json);
        }
    }

    private static void leftToTheTree(String json) {
        leftToTheTree(json.getBytes(StandardCharsets.UTF_8));
    }

    private static void leftToTheTree(byte[] json) {
        for (DocumentMapper mapper : List.of(ALL, SOME)) {
            assertNull(new LineMapper(mapper).map(json, json.length), () -> new String(json, StandardCharsets.UTF_8));
        }
    }

    @Test
    void ordinaryDocumentsTakeTheFastPath() {
        fast("{\"id\":\"cust-1\"," + T + ",\"tenure_months\":41,\"monthly_charges\":94.91,\"contract\":\"one-year\",\"has_partner\":true}");
        fast(" { \"a\" : 1 ,\t\"id\" : \"x\" , " + T + " , \"c\" : null } \r");
        fast("{\"id\":\"x\"," + T + "}");
        fast("{" + T + ",\"id\":\"x\",\"c\":{\"deep\":[[],{},[1,{\"k\":\"v\"}]],\"k\":{\"k\":1}},\"a\":[true,false,null,\"s\",-2]}");
    }

    @Test
    void numbersPrintAsTheTreeWritesThem() {
        for (String n : List.of("0", "-0", "7", "-12", "12345678901234567890123", "3.50", "3.5", "-0.0", "0.0", "100.0", "100.00", "0.001",
                "0.0001", "0.000123", "1e2", "1E+2", "-1.5e-7", "12345678.9", "9999999.5", "1234567.0", "0.1", "0.30000000000000004",
                "123456789012345.6", "1.23456789012345678", "2.2250738585072014E-308", "4.9e-324")) {
            fast("{\"id\":\"n\"," + T + ",\"a\":" + n + ",\"c\":[" + n + "]}");
        }
        leftToTheTree("{\"id\":\"n\"," + T + ",\"x\":1e400}");  // infinity: the tree writes it as a string
        leftToTheTree("{\"id\":\"n\"," + T + ",\"x\":" + "9".repeat(150) + "}");
    }

    @Test
    void stringsAreEscapedAsTheTreeEscapesThem() {
        for (String s : List.of("plain", "café", "😀 and 中文", "q\\\"q", "b\\\\s", "sl\\/ash", "\\b\\f\\n\\r\\t", "\\u0001\\u001f\\u007f",
                "\\u00e9\\u00E9", "\\u2028 and \u2028 and \u2029", "\\u0041", "\u0085\u00a0\ufeff", "")) {
            fast("{\"id\":\"s\"," + T + ",\"a\":\"" + s + "\",\"c\":{\"" + s.replaceAll("\\\\.?", "") + "k\":1}}");
        }
        for (String s : List.of("\\ud83d\\ude00", "\\ud800", "\\udc00x", "\\uZZZZ", "\\x", "\\u12")) {
            leftToTheTree("{\"id\":\"s\"," + T + ",\"a\":\"" + s + "\"}");
        }
    }

    @Test
    void idsAsTheTreeTakesThem() {
        for (String id : List.of("\"é x 😀\"", "\"caf\\u00e9\"", "42", "-0", "-7", "12345678901234567890123", "\" a \"")) {
            fast("{\"id\":" + id + "," + T + ",\"a\":1}");
        }
        // an id whose input line needs an escape is left to the tree path, and so is every id it rejects
        for (String id : List.of("\"q\\\"q\"", "\"\"", "\"  \"", "1.5", "1e3", "null", "true", "{\"x\":1}", "[1]", "\"nul\\u0000\"",
                "\"c1\u0085\"", "\"\ufeffbom\"", "\"bad\\ud800\"")) {
            leftToTheTree("{\"id\":" + id + "," + T + ",\"a\":1}");
        }
        leftToTheTree("{" + T + ",\"a\":1}");
    }

    @Test
    void updateTimesAsTheTreeReadsThem() {
        for (String t : List.of("1767261600000", "\"1767261600000\"", "\"2026-01-01T10:00:00+01:00\"", "\"2026-01-01\"",
                "\"2026-01-01T10:00:00\"", "\"2026-01-01T10:00:00.5Z\"", "\"2026-01-01T10:00:00.120Z\"", "\"2026-01-01T10:00:00.123456789Z\"",
                "\" 2026-01-01T10:00:00Z \"", "0", "\"2026-01-01T10:00:00\\u005a\"", "\"1970-01-01T00:00:00Z\"")) {
            fast("{\"id\":\"t\",\"updated_at\":" + t + ",\"a\":1}");
        }
        for (String t : List.of("-1", "\"1969-12-31T23:59:59Z\"", "\"2100-01-01T00:00:00Z\"", "\"soon\"", "null", "1.5", "\"2026-02-30\"",
                "99999999999999999999", "\"2026-01-01T10:00:00\\n\"")) {
            leftToTheTree("{\"id\":\"t\",\"updated_at\":" + t + ",\"a\":1}");
        }
    }

    @Test
    void fieldsAreSelectedInTheirOrder() {
        byte[] json = bytes("{\"id\":\"x\"," + T + ",\"a\":1,\"b\":2,\"c\":null}");
        LineMapper.Mapped m = new LineMapper(SOME).map(json, json.length);
        assertEquals("{\"id\":\"x\",\"updated_at\":\"2026-01-01T10:00:00Z\",\"features\":{\"c\":null,\"a\":1,\"id\":\"x\"}}",
            new String(m.line(), 0, m.length(), StandardCharsets.UTF_8));
        assertEquals(true, same(SOME, bytes("{\"id\":\"x\"," + T + ",\"b\":2}")));
    }

    @Test
    void malformedOrDuplicatedIsLeftToTheTreePath() {
        for (String json : List.of("{\"id\":\"a\",", "{\"id\":\"a\" \"x\":1}", "{\"id\":\"a\"," + T + ",}", "[1,2]", "\"s\"", "{}", "",
                "{\"id\":\"a\"," + T + "} x", "{'id':'a'}", "{\"id\":\"a\"," + T + ",\"x\":01}", "{\"id\":\"a\"," + T + ",\"x\":tru}",
                "{\"id\":\"a\"," + T + ",\"x\":NaN}", "{\"id\":\"a\"," + T + ",\"x\":-}", "{\"id\":\"a\"," + T + ",\"x\":1.}",
                "{\"id\":\"a\"," + T + ",\"x\":\"raw\ttab\"}", "\ufeff{\"id\":\"a\"," + T + "}", "{\"id\":\"a\",\"id\":\"b\"," + T + "}",
                "{\"id\":\"a\"," + T + ",\"x\":{\"k\":1,\"k\":2}}", "{\"id\":\"a\"," + T + ",\"x\":[{\"k\":1,\"k\":2}]}",
                "{\"id\":\"a\"," + T + ",\"x\":[1,]}", "{\"id\":\"a\"," + T + ",\"x\":{\"k\"}}", "{\"id\":\"a\"," + T + ",\"k\\u0041\":1}",
                "{\"id\":\"a\"," + T + ",\"x\":" + "[".repeat(70) + "]".repeat(70) + "}",
                "{\"id\":\"a\"," + T + ",\"" + "k".repeat(2000) + "\":1}")) {
            leftToTheTree(json);
        }
        for (int b : new int[] {0x80, 0xbf, 0xc0, 0xc1, 0xf5, 0xff}) leftToTheTree(withByte(b));
        leftToTheTree(withBytes(0xe0, 0x80, 0x80));  // overlong
        leftToTheTree(withBytes(0xed, 0xa0, 0x80));  // a surrogate
        leftToTheTree(withBytes(0xf4, 0x90, 0x80, 0x80));  // past U+10FFFF
        leftToTheTree(withBytes(0xe2, 0x82));  // cut short
    }

    @Test
    void aStringOverTheFilesLimitIsLeftToTheTreePath() {
        String under = "y".repeat(Json.MAX_STRING_CHARS), over = under + "y";
        assertEquals(true, same(ALL, bytes("{\"id\":\"a\"," + T + ",\"x\":\"" + under + "\"}")));
        leftToTheTree("{\"id\":\"a\"," + T + ",\"x\":\"" + over + "\"}");
        assertNull(treeLine(ALL, bytes("{\"id\":\"a\"," + T + ",\"x\":\"" + over + "\"}")));
    }

    /** Random documents and random corruptions of them: whatever the fast path takes, it maps as the tree path does. */
    @Test
    void randomDocumentsAndCorruptionsAgreeWithTheTreePath() {
        SplittableRandom random = new SplittableRandom(11);
        int taken = 0;
        for (int i = 0; i < 10_000; i++) {
            byte[] json = bytes(randomDocument(random));
            if (same(ALL, json)) taken++;
            same(SOME, json);
            byte[] broken = json.clone();
            for (int k = random.nextInt(1, 3); k > 0; k--) broken[random.nextInt(broken.length)] = (byte) random.nextInt(256);
            same(ALL, broken);
            same(SOME, broken);
        }
        assertEquals(true, taken > 4_000, "the fast path took " + taken + " of 10000");
    }

    private static String randomDocument(SplittableRandom r) {
        StringBuilder doc = new StringBuilder("{");
        List<String> members = new java.util.ArrayList<>(List.of("\"id\":" + (r.nextBoolean() ? r.nextInt(100000) : randomString(r)),
            "\"updated_at\":" + (r.nextBoolean() ? "\"2026-01-0" + r.nextInt(1, 10) + "T10:00:0" + r.nextInt(10) + "." + r.nextInt(1000) + "Z\""
                : Long.toString(1_700_000_000_000L + r.nextLong(100_000_000_000L)))));
        for (int k = r.nextInt(6); k > 0; k--) members.add((r.nextInt(5) == 0 ? randomString(r) : "\"f" + k + "\"") + ":" + randomValue(r, 0));
        for (String name : List.of("a", "c")) if (r.nextBoolean()) members.add("\"" + name + "\":" + randomValue(r, 0));
        java.util.Collections.shuffle(members, new java.util.Random(r.nextLong()));
        doc.append(String.join(r.nextBoolean() ? "," : " , ", members));
        return doc.append('}').toString();
    }

    private static String randomValue(SplittableRandom r, int depth) {
        return switch (r.nextInt(depth > 3 ? 6 : 8)) {
            case 0 -> Integer.toString(r.nextInt(-1000, 1000));
            case 1 -> String.format(java.util.Locale.ROOT, "%." + r.nextInt(1, 18) + "f", (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(-5, 10)));
            case 2 -> Double.toString(r.nextDouble() * Math.pow(10, r.nextInt(-30, 30)));
            case 3 -> randomString(r);
            case 4 -> List.of("true", "false", "null", "-0", "0.0", "1e5", "2E-3").get(r.nextInt(7));
            case 5 -> Long.toString(r.nextLong());
            case 6 -> "[" + String.join(",", java.util.stream.IntStream.range(0, r.nextInt(4)).mapToObj(i -> randomValue(r, depth + 1)).toList()) + "]";
            default -> "{" + String.join(",", java.util.stream.IntStream.range(0, r.nextInt(4))
                .mapToObj(i -> randomString(r) + ":" + randomValue(r, depth + 1)).toList()) + "}";
        };
    }

    private static final String[] PIECES = {"a", "Z", " ", "é", "😀", "中", "\u2028", "\u0085", "\\\"", "\\\\", "\\/", "\\n", "\\t", "\\u0001",
        "\\u00e9", "\\u2029", "\\ud83d\\ude00", "~", "\u007f"};

    private static String randomString(SplittableRandom r) {
        StringBuilder s = new StringBuilder("\"");
        for (int k = r.nextInt(6); k > 0; k--) s.append(r.nextInt(3) == 0 ? PIECES[r.nextInt(PIECES.length)] : "k" + r.nextInt(10));
        return s.append('"').toString();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] withByte(int b) {
        return withBytes(b);
    }

    private static byte[] withBytes(int... raw) {
        byte[] start = bytes("{\"id\":\"a\"," + T + ",\"x\":\"v"), end = bytes("\"}");
        byte[] json = Arrays.copyOf(start, start.length + raw.length + end.length);
        for (int i = 0; i < raw.length; i++) json[start.length + i] = (byte) raw[i];
        System.arraycopy(end, 0, json, start.length + raw.length, end.length);
        return json;
    }
}
