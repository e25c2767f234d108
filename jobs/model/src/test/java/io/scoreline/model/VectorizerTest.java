package io.scoreline.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scoreline.core.records.Json;
import io.scoreline.model.ModelSpec.Feature;
import io.scoreline.model.ModelSpec.FeatureType;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A document's features become the model's ordered row: defaults fill gaps, bad values are rejected by name. */
class VectorizerTest {
    private static final JsonNodeFactory N = JsonNodeFactory.instance;
    private static final List<String> COLORS = List.of("blue", "green", "red");

    private static Feature number(String name, Double dflt) {
        return new Feature(name, FeatureType.NUMBER, dflt == null ? null : N.numberNode(dflt), null);
    }

    private static final Vectorizer ROW = new Vectorizer(List.of(
        number("price", 1.5),
        number("age", null),
        new Feature("active", FeatureType.BOOLEAN, N.booleanNode(false), null),
        new Feature("color", FeatureType.CATEGORY, N.textNode("red"), COLORS)));

    private static ObjectNode doc(String json) throws Exception {
        return (ObjectNode) Json.MAPPER.readTree(json);
    }

    private static double single(Feature f, JsonNode value) throws Vectorizer.InvalidFeature {
        ObjectNode d = Json.MAPPER.createObjectNode();
        d.set(f.name(), value);
        return new Vectorizer(List.of(f)).row(d)[0];
    }

    private static String rejection(Feature f, JsonNode value) {
        ObjectNode d = Json.MAPPER.createObjectNode();
        d.set(f.name(), value);
        return assertThrows(Vectorizer.InvalidFeature.class, () -> new Vectorizer(List.of(f)).row(d), String.valueOf(value)).getMessage();
    }

    @Test
    void rowFollowsTheDeclaredFeatureOrder() throws Exception {
        assertArrayEquals(new double[] {2.0, 40, 1, 1}, ROW.row(doc("{\"color\":\"green\",\"active\":true,\"age\":40,\"price\":2,\"extra\":9}")));
    }

    @Test
    void missingOrNullValuesTakeTheDefault() throws Exception {
        assertArrayEquals(new double[] {1.5, 40, 0, 2}, ROW.row(doc("{\"age\":40}")));
        assertArrayEquals(new double[] {1.5, 40, 0, 2}, ROW.row(doc("{\"age\":40,\"price\":null,\"active\":null,\"color\":null}")));
    }

    @Test
    void missingValueWithoutDefaultIsRejected() {
        var e = assertThrows(Vectorizer.InvalidFeature.class, () -> ROW.row(doc("{\"price\":2}")));
        assertEquals("feature 'age' is missing and the model declares no default", e.getMessage());
        assertThrows(Vectorizer.InvalidFeature.class, () -> ROW.row(doc("{\"age\":null}")));
        assertThrows(Vectorizer.InvalidFeature.class, () -> ROW.row(null));
    }

    @Test
    void numericStringsAreNumbers() throws Exception {
        Feature age = number("age", null);
        assertEquals(3.5, single(age, N.textNode(" 3.5 ")));
        assertEquals(1000, single(age, N.textNode("1e3")));
        assertEquals(-2, single(age, N.textNode("-2")));
        assertEquals(7, single(age, N.numberNode(7L)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "Infinity", "-Infinity", "abc", "", "1,5"})
    void nonFiniteOrNonNumericStringsAreRejectedByName(String text) {
        String reason = rejection(number("age", 3.0), N.textNode(text));
        assertTrue(reason.startsWith("feature 'age' is \"" + text + "\", expected a"), reason);
    }

    @Test
    void nonFiniteNumbersAndNonNumbersAreRejected() {
        Feature age = number("age", 3.0);
        assertEquals("feature 'age' is \"NaN\", expected a finite number", rejection(age, N.numberNode(Double.NaN)));
        assertTrue(rejection(age, N.numberNode(Double.POSITIVE_INFINITY)).endsWith("expected a finite number"));
        assertEquals("feature 'age' is true, expected a number", rejection(age, N.booleanNode(true)));
        assertEquals("feature 'age' is [1], expected a number", rejection(age, N.arrayNode().add(1)));
    }

    @Test
    void longValuesAreShortenedInTheReason() {
        String reason = rejection(number("age", null), N.textNode("x".repeat(100)));
        assertTrue(reason.contains("…") && reason.length() < 100, reason);
    }

    @Test
    void booleansInEveryAcceptedSpelling() throws Exception {
        Feature active = new Feature("active", FeatureType.BOOLEAN, null, null);
        for (JsonNode yes : List.of(N.booleanNode(true), N.numberNode(1), N.numberNode(1.0), N.textNode("true"), N.textNode("TRUE"),
            N.textNode(" yes "), N.textNode("Yes"), N.textNode("1"))) {
            assertEquals(1, single(active, yes), yes::toString);
        }
        for (JsonNode no : List.of(N.booleanNode(false), N.numberNode(0), N.numberNode(0.0), N.textNode("false"), N.textNode("False"),
            N.textNode("no"), N.textNode("NO"), N.textNode("0"))) {
            assertEquals(0, single(active, no), no::toString);
        }
    }

    @Test
    void otherBooleanSpellingsAreRejected() {
        Feature active = new Feature("active", FeatureType.BOOLEAN, N.booleanNode(false), null);
        for (JsonNode bad : List.of(N.numberNode(2), N.numberNode(0.5), N.textNode("y"), N.textNode("on"), N.textNode(""),
            N.objectNode())) {
            assertTrue(rejection(active, bad).startsWith("feature 'active' is "), bad::toString);
            assertTrue(rejection(active, bad).endsWith("expected a boolean"), bad::toString);
        }
    }

    @Test
    void categoryIsTheIndexOfItsLevel() throws Exception {
        Feature color = new Feature("color", FeatureType.CATEGORY, null, COLORS);
        assertEquals(0, single(color, N.textNode("blue")));
        assertEquals(1, single(color, N.textNode("green")));
        assertEquals(2, single(color, N.textNode("red")));
    }

    @Test
    void numericAndBooleanLevelsMatchTheirText() throws Exception {
        assertEquals(1, single(new Feature("size", FeatureType.CATEGORY, null, List.of("1", "2", "3")), N.numberNode(2)));
        assertEquals(1, single(new Feature("flag", FeatureType.CATEGORY, null, List.of("false", "true")), N.booleanNode(true)));
    }

    @Test
    void unseenLevelTakesTheDefaultLevel() throws Exception {
        Feature color = new Feature("color", FeatureType.CATEGORY, N.textNode("green"), COLORS);
        assertEquals(1, single(color, N.textNode("purple")));
        assertEquals(1, single(color, N.textNode("Blue"))); // levels are case-sensitive
    }

    @Test
    void unseenLevelWithoutDefaultIsRejected() {
        Feature color = new Feature("color", FeatureType.CATEGORY, null, COLORS);
        assertEquals("feature 'color' is \"purple\", expected one of [blue, green, red]", rejection(color, N.textNode("purple")));
        Feature badDefault = new Feature("color", FeatureType.CATEGORY, N.textNode("black"), COLORS);
        assertTrue(rejection(badDefault, N.textNode("purple")).endsWith("expected one of [blue, green, red]"));
    }
}
