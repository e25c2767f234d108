package io.scoreline.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scoreline.core.records.Document;
import io.scoreline.core.records.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** fetch writes input lines by hand; predict reads them as Documents: the bytes must be what Jackson writes. */
class DocumentLinesTest {
    @Test
    void linesAreWhatTheRecordSerializerWrites() throws Exception {
        ObjectNode features = (ObjectNode) Json.MAPPER.readTree("""
            {"price": 3.50, "n": 12345678901234, "big": 1e400, "text": "Zoë \\"q\\" \\n \\u0001 😀", "none": null,
             "list": [1, "two", {"three": [], "x": {}}], "flag": false, "nested": {"deep": [[]]}}""");
        for (Instant at : List.of(Instant.parse("2026-01-01T10:00:00Z"), Instant.parse("1969-12-31T23:59:59.999Z"),
                Instant.parse("2026-11-25T10:00:00.120Z"), Instant.parse("2026-11-25T10:00:00.000001Z"),
                Instant.parse("2026-11-25T10:00:00.123456789Z"), Instant.EPOCH, Instant.parse("+12026-01-01T00:00:00Z"))) {
            for (String id : List.of("a", "é\"\\/x 😀", "")) {
                for (ObjectNode f : List.of(features, Json.MAPPER.createObjectNode())) {
                    Document doc = new Document(id, at, f);
                    assertEquals(Json.MAPPER.writeValueAsString(doc), new String(DocumentLines.of(doc), StandardCharsets.UTF_8));
                }
            }
        }
    }

    @Test
    void eachLineStandsAlone() {
        Document a = new Document("a", Instant.EPOCH, Json.MAPPER.createObjectNode().put("x", 1));
        Document b = new Document("b", Instant.EPOCH, Json.MAPPER.createObjectNode().put("y", 2));
        DocumentLines.of(a);
        assertEquals("{\"id\":\"b\",\"updated_at\":\"1970-01-01T00:00:00Z\",\"features\":{\"y\":2}}",
            new String(DocumentLines.of(b), StandardCharsets.UTF_8));
    }
}
