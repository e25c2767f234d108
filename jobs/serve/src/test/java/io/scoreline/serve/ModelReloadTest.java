package io.scoreline.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoreline.core.records.Json;
import io.scoreline.core.run.Layout;
import io.scoreline.core.store.ObjectStore;
import io.scoreline.core.store.Precondition;
import io.scoreline.core.store.S3Encryption;
import io.scoreline.core.store.S3Settings;
import io.scoreline.core.store.Stores;
import io.scoreline.model.ModelRegistry;
import io.scoreline.serve.scoring.AliasSource;
import io.scoreline.serve.scoring.ModelWatcher;
import io.scoreline.testkit.ItServers;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Hot reload on the real S3 server: the alias moves while requests run; not one fails, and the answers switch to the
 * new version. A version whose bytes are damaged keeps the served one, shows in /readyz, and loads at a later poll once
 * repaired (requests never trigger a load).
 */
class ModelReloadTest {
    private record Answer(int status, String source, String version) {}

    @Test
    void theAliasMovesDuringTrafficWithoutAFailedRequest() throws Exception {
        String esUrl = ItServers.elasticsearch9(), s3 = ItServers.s3();
        System.setProperty("aws.accessKeyId", "scoreline-it");
        System.setProperty("aws.secretAccessKey", "scoreline-it-secret-value");
        String bucket = ItServers.s3Bucket();
        ObjectStore store = Stores.open("s3://" + bucket + "/serve-reload-" + System.nanoTime(),
            new S3Settings("us-east-1", URI.create(s3), true, S3Encryption.NONE));
        TestModels.register(store);
        TestModels.register(store, "v2", 8);
        TestModels.register(store, "v3", 9);
        var registry = new ModelRegistry(store);
        var v3 = registry.spec("churn", "v3"); // the file a load reads: a forest's stored trees, else the model's bytes
        String v3Bytes = Layout.modelDir("churn", "v3") + (v3.trees() != null ? v3.trees().file() : v3.file());
        byte[] good = store.read(v3Bytes, Long.MAX_VALUE).orElseThrow().bytes();
        store.put(v3Bytes, "damaged".getBytes(), Precondition.NONE);

        TestIndex index = TestIndex.withItems(esUrl, 40, 4.0);
        var failures = new ConcurrentLinkedQueue<String>();
        try (Service service = TestServices.start(esUrl, index, store, () -> registry.load("churn", "v1", Long.MAX_VALUE), 2, Map.of())) {
            var watcher = service.watchModel(new AliasSource(registry, "churn", "production", Long.MAX_VALUE), Duration.ofMillis(100),
                new ModelWatcher.Listener() {
                    @Override
                    public void reloadFailed(String model, String version, String reason) {
                        failures.add(version);
                    }
                });
            var answers = new ConcurrentLinkedQueue<Answer>();
            var stop = new AtomicBoolean();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                int client = c;
                clients.add(Thread.ofVirtual().start(() -> {
                    for (int n = 0; !stop.get(); n++) {
                        try {
                            var response = TestServices.post(service, "/v1/pools/items/rank",
                                "{\"key\":\"user-" + client + "-" + n + "\",\"top_k\":3,\"deadline_ms\":2000}");
                            JsonNode body = Json.MAPPER.readTree(response.body());
                            answers.add(new Answer(response.statusCode(), body.path("source").asText(), body.path("model_version").asText()));
                        } catch (Exception e) {
                            answers.add(new Answer(-1, e.toString(), null));
                        }
                    }
                }));
            }
            Thread.sleep(500);
            registry.setAlias("churn", "production", "v2");
            awaitVersion(answers, "v2", watcher);
            Thread.sleep(300);

            registry.setAlias("churn", "production", "v3");  // damaged bytes: refused, v2 stays
            long failedSince = System.nanoTime();
            JsonNode reload = awaitReload(service, r -> r.path("last_failure").path("attempts").asInt() >= 2);
            long pollsMs = (System.nanoTime() - failedSince) / 1_000_000;
            assertEquals("v3", reload.path("last_failure").path("version").asText(), reload.toString());
            assertTrue(reload.path("last_failure").path("reason").asText().contains("corrupt"), reload.toString());
            assertEquals("v2", reload.path("version").asText());
            assertTrue(watcher.status().lastFailure().attempts() <= pollsMs / 100 + 2, "one load per poll, not per request: " + reload);
            assertTrue(failures.contains("v3"), "the listener heard of the failed reload");
            assertTrue(TestServices.get(service, "/readyz").path("failing").has("model:churn"), "counted and alerted as obs does");

            store.put(v3Bytes, good, Precondition.NONE);  // repaired: the next poll loads it
            awaitVersion(answers, "v3", watcher);
            assertTrue(awaitReload(service, r -> r.path("last_failure").isMissingNode()).path("version").asText().equals("v3"));
            assertTrue(TestServices.get(service, "/readyz").path("failing").path("model:churn").isMissingNode());
            Thread.sleep(200);
            stop.set(true);
            for (Thread t : clients) t.join();

            List<Answer> all = List.copyOf(answers);
            assertTrue(all.size() > 20, "traffic ran: " + all.size() + " requests");
            for (Answer a : all) {
                assertEquals(200, a.status(), "no failed request during the swaps: " + a);
                assertEquals("model", a.source(), "every answer by the model, none late: " + a);
            }
            assertEquals(List.of("v1", "v2", "v3"), all.stream().map(Answer::version).distinct().toList());
        } finally {
            index.drop();
        }
    }

    private static void awaitVersion(ConcurrentLinkedQueue<Answer> answers, String version, ModelWatcher watcher)
        throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (answers.stream().noneMatch(a -> version.equals(a.version()))) {
            assertTrue(System.nanoTime() < until, () -> "no answer of " + version + " within 20 s; reload status "
                + watcher.status() + "; last answers " + answers.stream().skip(Math.max(0, answers.size() - 3)).toList());
            Thread.sleep(50);
        }
    }

    private static JsonNode awaitReload(Service service, java.util.function.Predicate<JsonNode> until) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode reload;
        do {
            reload = TestServices.get(service, "/readyz").path("model_reload");
            if (until.test(reload)) return reload;
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("/readyz model_reload stayed " + reload);
    }
}
