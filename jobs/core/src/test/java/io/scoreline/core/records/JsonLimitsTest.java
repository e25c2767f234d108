package io.scoreline.core.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** One set of limits for reading and writing, and output that every line-splitting reader splits like NDJSON. */
class JsonLimitsTest {
    private static String nested(int depth) {
        return "[".repeat(depth - 1) + "{}" + "]".repeat(depth - 1);
    }

    @Test
    void whateverTheFilesReadTheyCanWriteBack() throws Exception {
        JsonNode deepest = Json.MAPPER.readTree(nested(Json.MAX_DEPTH));
        assertEquals(nested(Json.MAX_DEPTH), Json.MAPPER.writeValueAsString(deepest));
        assertThrows(JsonProcessingException.class, () -> Json.MAPPER.readTree(nested(Json.MAX_DEPTH + 1)));
    }

    @Test
    void aSourceDocumentLeavesRoomForTheRecordsThatCarryIt() throws Exception {
        ObjectNode deepest = (ObjectNode) Json.DOCUMENTS.readTree("{\"a\":" + nested(Json.MAX_DOCUMENT_DEPTH - 1) + "}");
        ObjectNode rejection = Json.MAPPER.createObjectNode();
        rejection.putObject("record").putObject("features").set("document", deepest);  // three wrappers, room for more
        assertTrue(Json.MAPPER.writeValueAsString(rejection).startsWith("{\"record\":{\"features\":{\"document\":{\"a\":[["));
        assertThrows(JsonProcessingException.class, () -> Json.DOCUMENTS.readTree("{\"a\":" + nested(Json.MAX_DOCUMENT_DEPTH) + "}"));
    }

    @Test
    void unicodeLineSeparatorsAreEscapedSoSplitlinesCountsOneRecordPerLine() throws Exception {
        ObjectNode record = Json.MAPPER.createObjectNode().put("id", "a\u2028b\u2029c").put("emoji", "\uD83D\uDE00 é");
        String line = new String(Json.MAPPER.writeValueAsBytes(record), StandardCharsets.UTF_8);
        assertEquals("{\"id\":\"a\\u2028b\\u2029c\",\"emoji\":\"\uD83D\uDE00 é\"}", line);
        assertFalse(line.contains("\u2028") || line.contains("\u2029"));
        assertEquals(record, Json.MAPPER.readTree(line));
    }
}
