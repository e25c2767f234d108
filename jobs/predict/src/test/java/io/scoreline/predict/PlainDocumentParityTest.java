package io.scoreline.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.scoreline.core.records.Document;
import io.scoreline.model.ModelSpec.Feature;
import io.scoreline.model.ModelSpec.FeatureType;
import io.scoreline.model.Vectorizer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every line the byte reader takes gives the row, id and time the whole-tree parse and the Vectorizer give, bit for
 * bit (missing values and unseen levels filled in as the Vectorizer fills them); every other line is left to them.
 * Numbers of every form, each feature type given every kind of value, and the odd shapes a line can have.
 */
class PlainDocumentParityTest {
    private static final List<Feature> FEATURES = List.of(
        new Feature("x", FeatureType.NUMBER, null, null),
        new Feature("y", FeatureType.NUMBER, IntNode.valueOf(3), null),
        new Feature("flag", FeatureType.BOOLEAN, null, null),
        new Feature("color", FeatureType.CATEGORY, TextNode.valueOf("blue"), List.of("red", "blue", "caf\u00e9", "red", "a\"b", "")),
        new Feature("r\u00e9gion", FeatureType.CATEGORY, null, List.of("north", "south")),
        new Feature("tier", FeatureType.CATEGORY, TextNode.valueOf("gold"), List.of("silver", "gold")));
    private static final String HEAD = "{\"id\":\"cust-1\",\"updated_at\":\"2026-11-24T10:00:00.085Z\",\"features\":";
    private static final String X = "\"x\":0.5", Y = "\"y\":7", FLAG = "\"flag\":true", COLOR = "\"color\":\"red\"",
        REGION = "\"r\u00e9gion\":\"south\"";

    private final Vectorizer vectorizer = new Vectorizer(FEATURES);
    private final PlainDocument plain = new PlainDocument(FEATURES);

    @Test
    void numbersOfEveryFormEncodeAsTheVectorizerEncodesThem() throws Exception {
        List<String> numbers = new ArrayList<>(List.of("0", "-0", "1", "-1", "41", "94.91", "-0.0", "0.0", "0.1", "-0.1",
            "0.30000000000000004", "123456789012345678", "-123456789012345678", "1234567890123456789", "9007199254740993",
            "9007199254740993.5", "900719925474099.3", "1.7976931348623157e308", "4.9e-324", "1e999", "-1e999", "1e-999",
            "2.5E3", "1E+2", "1e-2", "0.000000000000000000000001", "0.0000000000000000000001", "12345.678901234567890",
            "99999999999999999999", "01", "-01", "1.", ".5", "+1", "-", "1e", "1e+", "1.5.2", "1x", "0x10", "NaN",
            "Infinity", "1" + "0".repeat(45), "0." + "1".repeat(45)));
        var random = new Random(7);
        for (int i = 0; i < 3000; i++) {
            numbers.add(switch (i % 5) {
                case 0 -> Double.toString(random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20));
                case 1 -> Long.toString(random.nextLong() >> random.nextInt(63));
                case 2 -> decimal(random, 1 + random.nextInt(17), random.nextInt(23));
                case 3 -> decimal(random, 1 + random.nextInt(4), 1 + random.nextInt(3));
                default -> decimal(random, 15 + random.nextInt(4), random.nextInt(25));
            });
        }
        int taken = 0;
        for (String n : numbers) {
            taken += check(HEAD + "{\"x\":" + n + "," + Y + "," + FLAG + "," + COLOR + "," + REGION + "}}") ? 1 : 0;
            check(HEAD + "{" + X + ",\"y\":" + n + "," + FLAG + "," + COLOR + "," + REGION + "}}");
            check(HEAD + "{" + X + "," + Y + ",\"flag\":" + n + "," + COLOR + "," + REGION + "}}");
            check(HEAD + "{" + X + "," + Y + "," + FLAG + ",\"color\":" + n + "," + REGION + "}}");
            check(HEAD + "{" + X + "," + Y + "," + FLAG + "," + COLOR + "," + REGION + ",\"other\":" + n + "},\"n\":" + n + "}");
        }
        assertTrue(taken > 2900, "ordinary numbers are read here: " + taken);
    }

    @Test
    void valuesOfEveryKindAndOddLinesAreLeftToTheParserOrReadTheSame() throws Exception {
        for (String v : List.of("true", "false", "null", "\"red\"", "\"blue\"", "\"caf\u00e9\"", "\"purple\"", "\"\"",
            "\"a\\\"b\"", "\"r\\u0065d\"", "\"0.5\"", "\" 1 \"", "\"yes\"", "\"true\"", "1", "0", "2", "{}", "[1]", "[]",
            "{\"a\":1}", "tru", "nul", "\"tab\there\"", "\"\u007f\"")) {
            check(HEAD + "{\"x\":" + v + "," + Y + "," + FLAG + "," + COLOR + "," + REGION + "}}");
            check(HEAD + "{" + X + "," + Y + ",\"flag\":" + v + "," + COLOR + "," + REGION + "}}");
            check(HEAD + "{" + X + "," + Y + "," + FLAG + ",\"color\":" + v + "," + REGION + "}}");
            check(HEAD + "{" + X + "," + Y + "," + FLAG + "," + COLOR + ",\"r\u00e9gion\":" + v + "}}");
            check(HEAD + "{" + X + "," + Y + "," + FLAG + "," + COLOR + "," + REGION + ",\"extra\":" + v + "}}");
            check("{\"id\":\"a\",\"other\":" + v + ",\"updated_at\":\"2026-01-01T10:00:00Z\",\"features\":{" + X + "," + Y
                + "," + FLAG + "," + COLOR + "," + REGION + "}}");
            check("{\"id\":" + v + ",\"updated_at\":\"2026-01-01T10:00:00Z\",\"features\":{" + X + "," + Y + "," + FLAG + ","
                + COLOR + "," + REGION + "}}");
        }
        String f = "{" + X + "," + Y + "," + FLAG + "," + COLOR + "," + REGION + "}";
        String t = "\"updated_at\":\"2026-01-01T10:00:00Z\"";
        for (String line : List.of(
            HEAD + f + "}",
            "{\"features\":" + f + "," + t + ",\"id\":\"features-first\"}",
            HEAD + f + "} ",
            HEAD + f + "}x",
            HEAD + f + "}}",
            HEAD + f,
            " " + HEAD + f + "}",
            "{ \"id\":\"a\"," + t + ",\"features\":" + f + "}",
            "{\"id\" :\"a\"," + t + ",\"features\":" + f + "}",
            "{\"id\":\"a\" ," + t + ",\"features\":" + f + "}",
            "{\"id\":\"a\"," + t + ",\"features\":{ " + X + "," + Y + "," + FLAG + "," + COLOR + "," + REGION + "}}",
            "{\"id\":\"a\",\"id\":\"b\"," + t + ",\"features\":" + f + "}",
            "{\"id\":\"a\"," + t + "," + t + ",\"features\":" + f + "}",
            "{\"id\":\"a\"," + t + ",\"features\":" + f + ",\"features\":" + f + "}",
            "{\"id\":\"a\"," + t + ",\"features\":{" + X + "," + X + "," + Y + "," + FLAG + "," + COLOR + "," + REGION + "}}",
            "{\"id\":\"a\"," + t + ",\"features\":{" + Y + "," + FLAG + "," + COLOR + "," + REGION + "}}",
            "{\"id\":\"a\"," + t + ",\"features\":{" + X + "," + FLAG + "," + COLOR + "," + REGION + "}}",
            "{\"id\":\"a\"," + t + ",\"features\":{" + X + "," + Y + "," + FLAG + "," + REGION + "}}",
            "{\"id\":\"a\"," + t + ",\"features\":{" + REGION + "," + COLOR + "," + FLAG + "," + Y + "," + X + ",\"z\":1,\"z\":2}}",
            "{\"id\":\"a\"," + t + ",\"features\":{}}",
            "{\"id\":\"a\"," + t + ",\"features\":null}",
            "{\"id\":\"a\"," + t + ",\"features\":[]}",
            "{\"id\":\"a\"," + t + "}",
            "{\"id\":\"a\",\"features\":" + f + "}",
            "{" + t + ",\"features\":" + f + "}",
            "{\"id\":\"\"," + t + ",\"features\":" + f + "}",
            "{\"id\":\"caf\u00e9\"," + t + ",\"features\":" + f + "}",
            "{\"id\":\"a\\\"b\"," + t + ",\"features\":" + f + "}",
            "{\"\\u0069d\":\"a\"," + t + ",\"features\":" + f + "}",
            "{\"id\":\"a\",\"updated_at\":\"2026-01-01T10:00:00.000Z\",\"features\":" + f + "}",
            "{\"id\":\"a\",\"updated_at\":\"2026-01-01T10:00:00.5Z\",\"features\":" + f + "}",
            "{\"id\":\"a\",\"updated_at\":\"2026-01-01T10:00:00.123456789Z\",\"features\":" + f + "}",
            "{\"id\":\"a\",\"updated_at\":\"2026-01-01T10:00:00+00:00\",\"features\":" + f + "}",
            "{\"id\":\"a\",\"updated_at\":\"2025-02-29T10:00:00Z\",\"features\":" + f + "}",
            "{\"id\":\"a\",\"updated_at\":\"2026-01-01T10:00:00Z" + "0".repeat(40) + "\",\"features\":" + f + "}",
            "{\"id\":\"a\",\"updated_at\":1767261600,\"features\":" + f + "}",
            "{\"id\":\"a\"," + t + ",\"x" + "y".repeat(2000) + "\":1,\"features\":" + f + "}",
            "{\"id\":\"a\"," + t + ",\"s\":\"unterminated,\"features\":" + f + "}",
            "{\"id\":\"a\"," + t + ",\"features\":" + f + ",}",
            "{\"id\":\"a\"," + t + ",,\"features\":" + f + "}",
            "{,\"id\":\"a\"," + t + ",\"features\":" + f + "}",
            "{\"id\":\"a\"," + t + ",\"features\":" + f + ",\"nested\":{\"a\":[1,{\"b\":null}]}}",
            "{}", "{", "", "[]", "null", "\"{\"")) {
            check(line);
        }
    }

    @Test
    void missingValuesAndUnseenLevelsAreFilledInAsTheVectorizerFillsThem() throws Exception {
        String head = HEAD + "{" + X + "," + FLAG + "," + COLOR + "," + REGION;  // y (default 3) and tier (default gold) missing
        assertTrue(check(head + "}}"));
        assertTrue(check(head + ",\"y\":null,\"tier\":null}}"));
        assertTrue(check(head + ",\"tier\":\"bronze\"}}"));
        assertTrue(check(head + ",\"tier\":\"\"}}"));
        assertTrue(check(head + ",\"tier\":\"silver\"}}"));
        // no default, or levels it cannot match byte for byte ("a\"b"): left to the parser, which gives the reason
        assertFalse(check(HEAD + "{" + Y + "," + FLAG + "," + COLOR + "," + REGION + "}}"));
        assertFalse(check(HEAD + "{" + X + "," + Y + ",\"flag\":null," + COLOR + "," + REGION + "}}"));
        assertFalse(check(HEAD + "{" + X + "," + Y + "," + FLAG + "," + COLOR + ",\"r\u00e9gion\":\"east\"}}"));
        assertFalse(check(HEAD + "{" + X + "," + Y + "," + FLAG + ",\"color\":\"purple\"," + REGION + "}}"));
        assertFalse(check(head + ",\"tier\":\"gold\",\"tier\":null}}"));
    }

    /** Checks one line; true when the byte reader took it. */
    private boolean check(String line) throws Exception {
        byte[] b = ("junk" + line + "junk").getBytes(StandardCharsets.UTF_8);
        int off = 4, len = line.getBytes(StandardCharsets.UTF_8).length;
        double[] row = new double[FEATURES.size()];
        Arrays.fill(row, 42);
        if (!plain.read(b, off, len, row)) return false;
        Document doc = WholeTree.parse(line);  // throws (failing the test) if the reference rejects what was taken
        double[] expected = vectorizer.row(doc.features());
        for (int i = 0; i < row.length; i++) {
            assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(row[i]),
                "feature " + i + ": " + expected[i] + " against " + row[i] + " in " + line);
        }
        assertArrayEquals(doc.id().getBytes(StandardCharsets.UTF_8),
            Arrays.copyOfRange(b, plain.idStart(), plain.idStart() + plain.idLength()), line);
        assertArrayEquals(doc.updatedAt().toString().getBytes(StandardCharsets.UTF_8),
            Arrays.copyOfRange(b, plain.timeStart(), plain.timeStart() + plain.timeLength()), line);
        return true;
    }

    /** A decimal with this many significant digits, this many of them after the point (zeros padded in front). */
    private static String decimal(Random random, int digits, int decimals) {
        var d = new StringBuilder().append(1 + random.nextInt(9));
        for (int i = 1; i < digits; i++) d.append(random.nextInt(10));
        String s = decimals >= d.length() ? "0".repeat(decimals - d.length() + 1) + d : d.toString();
        if (decimals > 0) s = s.substring(0, s.length() - decimals) + "." + s.substring(s.length() - decimals);
        return (random.nextBoolean() ? "-" : "") + s;
    }
}
