package io.scoreline.serve.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scoreline.core.records.Document;
import io.scoreline.core.records.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PoolFilterTest {
    private static final PoolSpec POOL = new PoolSpec("items", "i", null, "id", "updated_at", List.of("x1"),
        Map.of("region", "keyword", "x1", "number", "active", "boolean"));
    private static final List<Document> ITEMS = List.of(
        item("a", "{\"region\":\"north\",\"x1\":1,\"active\":true}"),
        item("b", "{\"region\":\"south\",\"x1\":2.5,\"active\":false}"),
        item("c", "{\"region\":\"east\",\"x1\":5}"),
        item("d", "{\"x1\":\"n/a\"}"));

    private static Document item(String id, String features) {
        try {
            return new Document(id, Instant.EPOCH, (ObjectNode) Json.MAPPER.readTree(features));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> matching(String filter) throws Exception {
        var compiled = PoolFilter.of(POOL, (ObjectNode) Json.MAPPER.readTree(filter));
        return ITEMS.stream().filter(compiled::matches).map(Document::id).toList();
    }

    private static String refusal(String filter) {
        return assertThrows(PoolFilter.Invalid.class, () -> matching(filter)).getMessage();
    }

    @Test
    void equalityInListAndRangesHoldTogether() throws Exception {
        assertEquals(List.of("a"), matching("{\"region\":\"north\"}"));
        assertEquals(List.of("a", "c"), matching("{\"region\":[\"north\",\"east\"]}"));
        assertEquals(List.of("b", "c"), matching("{\"x1\":{\"gt\":1}}"));
        assertEquals(List.of("a", "b"), matching("{\"x1\":{\"gte\":1,\"lt\":5}}"));
        assertEquals(List.of("c"), matching("{\"x1\":{\"lte\":5,\"gt\":2.5}}"));
        assertEquals(List.of("c"), matching("{\"x1\":5}"));
        assertEquals(List.of("b"), matching("{\"active\":false,\"x1\":{\"lte\":9}}"));
        assertEquals(List.of(), matching("{\"region\":\"west\"}"));
        assertEquals(List.of("a", "b", "c", "d"), matching("{}"));
    }

    @Test
    void unknownFieldsAndWrongTypesAreRefusedInTheCallersTerms() {
        assertEquals("filter: 'colour' is not a filter field of pool 'items'; its filter fields: [active, region, x1]",
            refusal("{\"colour\":\"red\"}"));
        assertEquals("filter: 'x1' is a number field, got \"high\"", refusal("{\"x1\":\"high\"}"));
        assertEquals("filter: 'region' is a keyword field, got 3", refusal("{\"region\":[\"north\",3]}"));
        assertEquals("filter: 'active' is a boolean field, got \"yes\"", refusal("{\"active\":\"yes\"}"));
        assertEquals("filter: 'region' is a keyword field: a range ({\"gte\": …}) needs a number field", refusal("{\"region\":{\"gte\":\"a\"}}"));
        assertEquals("filter: 'x1': unknown range operator 'from'; use gt, gte, lt or lte", refusal("{\"x1\":{\"from\":1}}"));
        assertEquals("filter: 'x1.gte' is a number field, got \"1\"", refusal("{\"x1\":{\"gte\":\"1\"}}"));
        assertEquals("filter: 'x1' must list 1 to 1000 values, got 0", refusal("{\"x1\":[]}"));
        assertEquals("filter: 'x1' is a number field, got null", refusal("{\"x1\":null}"));
    }
}
