package io.scoreline.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoreline.core.records.Json;
import io.scoreline.core.store.FileStore;
import io.scoreline.core.store.ObjectStore;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A pool that takes longer to prepare than a request's deadline (a big pool, a slow model): it is prepared once, in
 * the background, while requests answer from the fallbacks; then the model answers. Before, every request began the
 * preparing again and dropped it at its deadline, so such a pool was never served by the model.
 */
class PoolPreparingTest {
    @Test
    void aPoolSlowerToPrepareThanTheDeadlineIsPreparedOnceThenTheModelAnswers() throws Exception {
        String esUrl = TestServices.esUrl();
        ObjectStore store = new FileStore(Files.createTempDirectory("serve-preparing-"));
        TestModels.register(store);
        TestIndex index = TestIndex.create(esUrl);
        // every feature the model reads is the item's own (user_age too), so preparing scores every item: 1 s with this model
        index.index(IntStream.range(0, 10).mapToObj(n -> TestIndex.item(n, "2026-01-01T00:00:00Z", n).replace("}", ",\"user_age\":40}"))
            .toArray(String[]::new));
        var slow = TestModels.slow(TestModels.load(store), 1000);
        try (Service service = TestServices.start(esUrl, index, store, () -> slow, 2, Map.of(), List.of("x1", "x2", "region", "user_age"))) {
            JsonNode answer = rank(service);
            assertEquals("timeout", answer.get("fallback_reason").asText(), "still preparing: " + answer);
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!"model".equals(answer.get("source").asText()) && System.nanoTime() < until) {
                Thread.sleep(100);
                answer = rank(service);
            }
            assertEquals("model", answer.get("source").asText(), "prepared once, the pool is ranked by the model within 50 ms: " + answer);
            assertEquals(10, answer.get("items").size());
            assertTrue(answer.get("items").get(0).has("score"), answer.toString());
        } finally {
            index.drop();
        }
    }

    private static JsonNode rank(Service service) throws Exception {
        var response = TestServices.post(service, "/v1/pools/items/rank", "{\"key\":\"k\",\"deadline_ms\":50}");
        assertEquals(200, response.statusCode(), response.body());
        return Json.MAPPER.readTree(response.body());
    }
}
