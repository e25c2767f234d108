package io.scoreline.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** model.json is checked against the contract, and every refusal is one line in the user's terms. */
class ModelSpecCheckTest {
    private static final String VALID = """
        {"schema_version": 1, "format": "smile", "file": "model.smile", "task": "classification",
         "features": [{"name": "age", "type": "number", "default": 3}, {"name": "plan", "type": "category", "levels": ["a", "b"]}],
         "classes": ["0", "1"]}""";

    private static ModelSpec read(String json) {
        return ModelSpecCheck.read(json.getBytes(StandardCharsets.UTF_8), "model.json", IllegalArgumentException::new);
    }

    private static String refusal(String json) {
        return assertThrows(IllegalArgumentException.class, () -> read(json)).getMessage();
    }

    @Test
    void validSpecIsRead() {
        ModelSpec spec = read(VALID);
        assertEquals(2, spec.features().size());
        assertEquals(ModelSpec.Task.CLASSIFICATION, spec.task());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"task\": \"classification\",|model.json: task is missing (classification or regression)",
        "\"task\": \"classification\"|model.json: 'task' has a value of the wrong type or an unknown value",
        "\"levels\": [\"a\", \"b\"]|model.json: category feature 'plan' lists no levels",
        "\"classes\": [\"0\", \"1\"]|model.json: a classification model lists fewer than two classes",
        "\"file\": \"model.smile\"|model.json: file must be model.smile for format smile, not '../x'",
        "\"schema_version\": 1|model.json: schema_version is 7; this build reads 1",
        "\"name\": \"plan\"|model.json: feature 'age' is listed twice",
        "\"type\": \"number\"|model.json: 'features[1].type' has a value of the wrong type or an unknown value",
    })
    void contractViolationsAreOneLine(String original, String expected) {
        String replacement = switch (original) {
            case "\"task\": \"classification\"," -> "";
            case "\"task\": \"classification\"" -> "\"task\": \"clustering\"";
            case "\"levels\": [\"a\", \"b\"]" -> "\"levels\": []";
            case "\"classes\": [\"0\", \"1\"]" -> "\"classes\": [\"0\"]";
            case "\"file\": \"model.smile\"" -> "\"file\": \"../x\"";
            case "\"schema_version\": 1" -> "\"schema_version\": 7";
            case "\"name\": \"plan\"" -> "\"name\": \"age\"";
            case "\"type\": \"number\"" -> "\"type\": \"vector\"";
            default -> throw new IllegalStateException(original);
        };
        assertEquals(expected, refusal(VALID.replace(original, replacement)));
    }

    @Test
    void absurdLevelCountIsRefused() {
        StringBuilder levels = new StringBuilder();
        for (int i = 0; i <= ModelSpecCheck.MAX_LEVELS; i++) levels.append(i == 0 ? "" : ",").append('"').append(i).append('"');
        String message = refusal(VALID.replace("[\"a\", \"b\"]", "[" + levels + "]"));
        assertEquals("model.json: category feature 'plan' has 100001 levels, over the limit of 100000", message);
    }

    @Test
    void absurdSizeIsRefused() {
        assertEquals("model.json: size 99999999999999 is out of range (0..4294967296)",
            refusal(VALID.replace("\"task\"", "\"size\": 99999999999999, \"task\"")));
    }

    @Test
    void garbageNamesNoParserInternals() {
        String message = refusal("{\"schema_version\": 1, nonsense}");
        assertEquals("model.json is not valid JSON (line 1, column 23)", message);
        assertFalse(message.contains("Unrecognized"));
    }

    @Test
    void storedTreesAreChecked() {
        String trees = "\"trees\": {\"file\": \"model.trees\", \"sha256\": \"" + "a".repeat(64) + "\", \"size\": 10}, \"task\"";
        assertEquals(new ModelSpec.Trees("model.trees", "a".repeat(64), 10), read(VALID.replace("\"task\"", trees)).trees());
        assertEquals("model.json: trees.file must be model.trees", refusal(VALID.replace("\"task\"", trees.replace("model.trees", "x"))));
        assertEquals("model.json: trees are only stored beside a smile model", refusal(VALID.replace("\"task\"", trees)
            .replace("\"smile\"", "\"onnx\"").replace("model.smile", "model.onnx")));
    }
}
