package io.scoreline.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoreline.core.records.Json;
import io.scoreline.core.store.FileStore;
import io.scoreline.core.store.ObjectStore;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** A rank request narrowed by a filter on the pool's declared fields, evaluated in memory, against real Elasticsearch. */
class RankFilterTest {
    @Test
    void aFilterNarrowsThePoolAndABadOneIsA400() throws Exception {
        String esUrl = TestServices.esUrl();
        ObjectStore store = new FileStore(Files.createTempDirectory("serve-filter-"));
        TestModels.register(store);
        TestIndex index = TestIndex.withItems(esUrl, 20, 2.0);
        // features x1 and region only: x2 is read for the filter because it is declared
        try (Service service = TestServices.start(esUrl, index, store, () -> TestModels.load(store), 2,
            Map.of("region", "keyword", "x1", "number", "x2", "number"), List.of("x1", "region"))) {
            JsonNode north = rank(service, "{\"key\":\"k\",\"top_k\":100,\"filter\":{\"region\":\"north\",\"x1\":{\"gte\":2,\"lt\":6}}}");
            assertEquals("model", north.get("source").asText());
            assertEquals(new TreeSet<>(List.of("item-004", "item-006", "item-008", "item-010")), ids(north));
            assertEquals(4, north.get("candidates").asInt());
            JsonNode both = rank(service, "{\"key\":\"k\",\"candidates\":[\"item-001\",\"item-002\",\"item-003\"],\"filter\":{\"x2\":[1,3]}}");
            assertEquals(new TreeSet<>(List.of("item-001", "item-003")), ids(both));

            var unknown = TestServices.post(service, "/v1/pools/items/rank", "{\"key\":\"k\",\"filter\":{\"colour\":\"red\"}}");
            assertEquals(400, unknown.statusCode());
            assertEquals("{\"error\":\"filter: 'colour' is not a filter field of pool 'items'; its filter fields: [region, x1, x2]\","
                + "\"status\":400}", unknown.body());
            var wrongType = TestServices.post(service, "/v1/pools/items/rank", "{\"key\":\"k\",\"filter\":{\"x1\":\"big\"}}");
            assertEquals(400, wrongType.statusCode());
            assertEquals("filter: 'x1' is a number field, got \"big\"", Json.MAPPER.readTree(wrongType.body()).get("error").asText());
            var notObject = TestServices.post(service, "/v1/pools/items/rank", "{\"key\":\"k\",\"filter\":[1]}");
            assertEquals(400, notObject.statusCode(), notObject.body());
        } finally {
            index.drop();
        }
    }

    private static JsonNode rank(Service service, String body) throws Exception {
        var response = TestServices.post(service, "/v1/pools/items/rank", body);
        assertEquals(200, response.statusCode(), response.body());
        return Json.MAPPER.readTree(response.body());
    }

    private static TreeSet<String> ids(JsonNode answer) {
        var ids = new TreeSet<String>();
        answer.get("items").forEach(i -> ids.add(i.get("id").asText()));
        return ids;
    }
}
