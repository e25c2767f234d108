package io.scoreline.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scoreline.core.records.Document;
import io.scoreline.core.records.Json;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A source document becomes (id, updated_at, features), or a rejection that says why. */
class DocumentMapperTest {
    private static final Instant T = Instant.parse("2026-01-01T10:00:00Z");
    private final DocumentMapper all = new DocumentMapper("id", "updated_at", List.of());

    private static ObjectNode doc(String json) throws Exception {
        return (ObjectNode) Json.MAPPER.readTree(json);
    }

    private static Document mapped(DocumentMapper mapper, String json, String sourceId) throws Exception {
        return assertInstanceOf(DocumentMapper.Mapped.class, mapper.map(doc(json), sourceId)).document();
    }

    private static String rejected(DocumentMapper mapper, String json, String sourceId) throws Exception {
        return assertInstanceOf(DocumentMapper.Rejected.class, mapper.map(doc(json), sourceId)).reason();
    }

    @Test
    void idAndUpdateTimeFromTheirFieldsAndEveryOtherFieldAsFeature() throws Exception {
        Document d = mapped(all, "{\"id\":\"a1\",\"updated_at\":\"2026-01-01T10:00:00Z\",\"price\":2.5,\"tags\":[\"x\"]}", "es-9");
        assertEquals("a1", d.id());
        assertEquals(T, d.updatedAt());
        assertEquals(doc("{\"price\":2.5,\"tags\":[\"x\"]}"), d.features());
    }

    @Test
    void numericIdBecomesText() throws Exception {
        assertEquals("42", mapped(all, "{\"id\":42,\"updated_at\":1767261600000}", null).id());
    }

    @Test
    void sourceIdStandsInForAMissingIdField() throws Exception {
        Document d = mapped(all, "{\"updated_at\":\"2026-01-01T10:00:00Z\",\"price\":1}", "es-9");
        assertEquals("es-9", d.id());
        assertEquals(doc("{\"price\":1}"), d.features());
    }

    @Test
    void sourceIdStandsInForAnIdThatIsNotAStringOrInteger() throws Exception {
        assertEquals("es-9", mapped(all, "{\"id\":{\"x\":1},\"updated_at\":\"2026-01-01T10:00:00Z\"}", "es-9").id());
    }

    @Test
    void missingIdIsRejected() throws Exception {
        for (String json : List.of("{\"updated_at\":\"2026-01-01T10:00:00Z\"}", "{\"id\":\"\",\"updated_at\":\"2026-01-01T10:00:00Z\"}",
            "{\"id\":\"  \",\"updated_at\":\"2026-01-01T10:00:00Z\"}", "{\"id\":1.5,\"updated_at\":\"2026-01-01T10:00:00Z\"}",
            "{\"id\":null,\"updated_at\":\"2026-01-01T10:00:00Z\"}")) {
            assertEquals("no id: field 'id' is missing, empty or not a string/integer", rejected(all, json, null), json);
        }
    }

    @Test
    void missingOrBadUpdateTimeIsRejected() throws Exception {
        String reason = "field 'updated_at' is missing or not a time (ISO-8601 or epoch milliseconds)";
        assertEquals(reason, rejected(all, "{\"id\":\"a\"}", null));
        assertEquals(reason, rejected(all, "{\"id\":\"a\",\"updated_at\":\"soon\"}", null));
        assertEquals(reason, rejected(all, "{\"id\":\"a\",\"updated_at\":null}", "es-1"));
    }

    @Test
    void fieldsSelectsFeaturesInTheirOrderAndSkipsMissingOnes() throws Exception {
        var some = new DocumentMapper("id", "updated_at", List.of("c", "a", "missing"));
        Document d = mapped(some, "{\"id\":\"x\",\"updated_at\":\"2026-01-01T10:00:00Z\",\"a\":1,\"b\":2,\"c\":null}", null);
        assertEquals(List.of("c", "a"), List.copyOf(d.features().properties().stream().map(e -> e.getKey()).toList()));
        assertTrue(d.features().get("c").isNull());
        assertEquals(1, d.features().get("a").asInt());
    }

    @Test
    void customIdAndUpdateFields() throws Exception {
        var mapper = new DocumentMapper("sku", "modified", List.of());
        Document d = mapped(mapper, "{\"sku\":\"S-1\",\"modified\":\"2026-01-01\",\"id\":\"other\",\"updated_at\":\"x\"}", null);
        assertEquals("S-1", d.id());
        assertEquals(Instant.parse("2026-01-01T00:00:00Z"), d.updatedAt());
        assertEquals(doc("{\"id\":\"other\",\"updated_at\":\"x\"}"), d.features());
        assertEquals("modified", mapper.updatedField());
        assertTrue(rejected(mapper, "{\"sku\":\"S-1\"}", null).contains("'modified'"));
    }
}
