package io.scoreline.serve.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scoreline.core.records.Document;
import io.scoreline.core.records.Json;
import io.scoreline.core.store.FileStore;
import io.scoreline.model.LoadedModel;
import io.scoreline.model.ModelSpec;
import io.scoreline.model.ModelSpec.Feature;
import io.scoreline.model.Score;
import io.scoreline.model.Vectorizer;
import io.scoreline.serve.TestModels;
import io.scoreline.serve.api.RankResponse.Item;
import io.scoreline.serve.pool.Pool;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A prepared pool ranks exactly as vectorizing every joined item per request did (the request's features under the
 * item's own, the model's vectorizer and scorer): the same items, scores to the bit, order and left-out reason.
 */
class PreparedPoolTest {
    private static LoadedModel loaded;

    @BeforeAll
    static void model() throws Exception {
        var store = new FileStore(Files.createTempDirectory("prepared-pool-"));
        TestModels.register(store);
        loaded = TestModels.load(store);
    }

    /** The pool: items without user_age (the request's), with it, with an explicit null, without x2, and unreadable ones. */
    private static List<Document> items() throws Exception {
        List<Document> items = new ArrayList<>();
        for (int n = 0; n < 150; n++) {
            String json = switch (n % 6) {
                case 0 -> "{\"x1\":" + n / 15.0 + ",\"x2\":" + n % 7 + ",\"region\":\"north\"}";
                case 1 -> "{\"x1\":" + n / 15.0 + ",\"x2\":" + n % 7 + ",\"region\":\"south\",\"user_age\":" + (18 + n % 50) + "}";
                case 2 -> "{\"x1\":" + n / 15.0 + ",\"x2\":1,\"region\":\"north\",\"user_age\":null}";
                case 3 -> "{\"x1\":" + n / 15.0 + ",\"region\":\"west\"}";
                case 4 -> "{\"x1\":\"a lot\",\"x2\":2,\"region\":\"north\",\"user_age\":30}";
                default -> "{\"x1\":\"a lot\",\"x2\":2,\"region\":\"north\"}";
            };
            items.add(document(n, json));
        }
        return items;
    }

    private static Document document(int n, String json) throws Exception {
        return new Document(String.format("item-%03d", n), Instant.parse("2026-01-01T00:00:00Z"), (ObjectNode) Json.MAPPER.readTree(json));
    }

    private static Pool.Snapshot snapshot(List<Document> items) {
        Map<String, Document> byId = new HashMap<>();
        for (Document d : items) byId.put(d.id(), d);
        return new Pool.Snapshot(List.copyOf(items), Map.copyOf(byId), null, Instant.now());
    }

    /** How a rank request scored before pools were prepared: each item joined with the request, vectorized, scored in one batch. */
    private static List<Item> reference(ServedModel model, List<Document> candidates, ObjectNode request) throws ScoringPool.Unscorable {
        Vectorizer vectorizer = model.vectorizer();
        List<double[]> rows = new ArrayList<>();
        List<Document> scored = new ArrayList<>();
        String last = null;
        for (Document d : candidates) {
            ObjectNode joined = d.features();
            if (request != null && !request.isEmpty()) {
                joined = request.deepCopy();
                joined.setAll(d.features());
            }
            try {
                rows.add(vectorizer.row(joined));
                scored.add(d);
            } catch (Vectorizer.InvalidFeature e) {
                last = e.getMessage();
            }
        }
        if (scored.isEmpty() && last != null) throw new ScoringPool.Unscorable(last);
        Score[] out = new Score[rows.size()];
        model.score(rows.toArray(double[][]::new), out);
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < out.length; i++) items.add(new Item(scored.get(i).id(), ServedModel.rankScore(out[i]), out[i].label()));
        items.sort(PreparedPool.ORDER);
        return items;
    }

    private static ObjectNode features(String json) throws Exception {
        return json == null ? null : (ObjectNode) Json.MAPPER.readTree(json);
    }

    @Test
    void ranksAsScoringEveryJoinedItemDid() throws Exception {
        ServedModel model = new ServedModel(loaded);
        Pool.Snapshot snapshot = snapshot(items());
        PreparedPool prepared = PreparedPool.of(snapshot, model, null);
        List<Document> some = snapshot.items().subList(20, 61);
        for (String request : new String[] {null, "{}", "{\"user_age\":50}", "{\"user_age\":23,\"x2\":3,\"region\":\"south\"}"}) {
            for (List<Document> candidates : List.of(snapshot.items(), some)) {
                assertEquals(reference(model, candidates, features(request)), prepared.rank(candidates, features(request)), request);
            }
        }
    }

    @Test
    void aPoolNoRequestCanChangeIsRankedOnceAndUnchangedItemsAreTakenOver() throws Exception {
        ServedModel model = new ServedModel(loaded);
        List<Document> items = new ArrayList<>();
        for (int n = 0; n < 100; n++) items.add(document(n, "{\"x1\":" + n / 10.0 + ",\"x2\":" + n % 7 + ",\"region\":\"north\",\"user_age\":40}"));
        Pool.Snapshot first = snapshot(items);
        PreparedPool prepared = PreparedPool.of(first, model, null);
        assertSame(prepared.rank(first.items(), null), prepared.rank(first.items(), features("{\"user_age\":80}")));
        assertEquals(reference(model, first.items(), null), prepared.rank(first.items(), features("{\"user_age\":80}")));

        items.set(7, document(7, "{\"x1\":9.5,\"x2\":3,\"region\":\"south\",\"user_age\":70}"));  // an update
        Pool.Snapshot second = snapshot(items);
        PreparedPool next = PreparedPool.of(second, model, prepared);
        assertEquals(reference(model, second.items(), null), next.rank(second.items(), null));
    }

    @Test
    void aFeatureNeitherTheItemNorTheRequestGivesLeavesTheItemOutAsBefore() throws Exception {
        ModelSpec spec = loaded.spec();
        List<Feature> strict = spec.features().stream()
            .map(f -> f.name().equals("user_age") ? new Feature(f.name(), f.type(), null, f.levels()) : f).toList();
        ServedModel model = new ServedModel(new LoadedModel(new ModelSpec(spec.schemaVersion(), spec.name(), spec.version(), spec.format(),
            spec.file(), spec.sha256(), spec.size(), spec.task(), spec.algorithm(), strict, spec.target(), spec.classes(), spec.createdAt(),
            spec.training()), loaded.scorer()));
        Pool.Snapshot snapshot = snapshot(items());
        PreparedPool prepared = PreparedPool.of(snapshot, model, null);
        assertEquals(reference(model, snapshot.items(), null), prepared.rank(snapshot.items(), null));
        assertEquals(reference(model, snapshot.items(), features("{\"user_age\":33}")), prepared.rank(snapshot.items(), features("{\"user_age\":33}")));
        List<Document> unreadable = List.of(snapshot.items().get(0), snapshot.items().get(4), snapshot.items().get(5));
        var expected = assertThrows(ScoringPool.Unscorable.class, () -> reference(model, unreadable, null));
        var actual = assertThrows(ScoringPool.Unscorable.class, () -> prepared.rank(unreadable, null));
        assertEquals(expected.getMessage(), actual.getMessage());
        List<Document> reversed = List.of(snapshot.items().get(5), snapshot.items().get(4), snapshot.items().get(0));
        assertEquals(assertThrows(ScoringPool.Unscorable.class, () -> reference(model, reversed, null)).getMessage(),
            assertThrows(ScoringPool.Unscorable.class, () -> prepared.rank(reversed, null)).getMessage());
    }
}
