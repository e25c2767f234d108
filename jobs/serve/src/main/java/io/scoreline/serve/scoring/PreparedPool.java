package io.scoreline.serve.scoring;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scoreline.core.records.Document;
import io.scoreline.model.Score;
import io.scoreline.serve.api.RankResponse.Item;
import io.scoreline.serve.pool.Pool;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One version of a pool prepared for one model: every item vectorized, and every item a request cannot change
 * (it has all the model's features itself) scored, once. A request then scores only the items its features complete,
 * with the same vectorizer columns and the same scorer, so its numbers are the ones scoring it whole would give. Items
 * of the previous version that did not change (the same document, the same model) are taken over as they are.
 */
final class PreparedPool {
    /** Rows scored between two looks at the thread's interrupt: a call past its deadline stops within a chunk. */
    static final int CHUNK = 64;
    static final Comparator<Item> ORDER = Comparator.comparing(Item::score, Comparator.reverseOrder()).thenComparing(Item::id);

    final Pool.Snapshot snapshot;
    final ServedModel model;
    private final Map<Document, PreparedItem> items;
    /** The whole pool's ranking when no item depends on the request, else null. */
    private final List<Item> ranked;
    /** The JSON of the first items of {@code ranked} as the answer cache keeps them: written by the first request that needs it. */
    private volatile String rankedJson;
    /** Why the last of the pool's items the model cannot read is left out (pool order), or null. */
    private final String lastFailure;

    private PreparedPool(Pool.Snapshot snapshot, ServedModel model, Map<Document, PreparedItem> items, List<Item> ranked, String lastFailure) {
        this.snapshot = snapshot;
        this.model = model;
        this.items = items;
        this.ranked = ranked;
        this.lastFailure = lastFailure;
    }

    static PreparedPool of(Pool.Snapshot snapshot, ServedModel model, PreparedPool previous) throws InterruptedException {
        Map<Document, PreparedItem> reuse = previous != null && previous.model == model ? previous.items : Map.of();
        Map<Document, PreparedItem> items = new IdentityHashMap<>(snapshot.items().size());
        List<PreparedItem> unscored = new ArrayList<>();
        boolean independent = true;
        String lastFailure = null;
        for (Document d : snapshot.items()) {
            if ((items.size() & (CHUNK - 1)) == 0 && Thread.interrupted()) throw new InterruptedException("past the deadline");
            PreparedItem p = reuse.get(d);
            if (p == null) {
                p = PreparedItem.of(d, model);
                if (p.complete() && p.row() != null) unscored.add(p);
            }
            items.put(d, p);
            if (!p.complete()) independent = false;
            else if (p.row() == null) lastFailure = p.failure();
        }
        double[][] rows = new double[unscored.size()][];
        for (int i = 0; i < rows.length; i++) rows[i] = unscored.get(i).row();
        Item[] answers = score(model, unscored, rows);
        for (int i = 0; i < answers.length; i++) unscored.get(i).answer = answers[i];
        List<Item> ranked = null;
        if (independent) {
            List<Item> all = new ArrayList<>(items.size());
            for (Document d : snapshot.items()) if (items.get(d).answer != null) all.add(items.get(d).answer);
            all.sort(ORDER);
            ranked = List.copyOf(all);
        }
        return new PreparedPool(snapshot, model, items, ranked, lastFailure);
    }

    /**
     * The model's ranking of {@code candidates} (documents of this snapshot) joined with the request's features; items
     * the model cannot read are left out, and when none is left the last one's reason is the call's failure.
     */
    List<Item> rank(List<Document> candidates, ObjectNode requestFeatures) throws ScoringPool.Unscorable, InterruptedException {
        if (candidates == snapshot.items() && ranked != null) {
            if (ranked.isEmpty() && lastFailure != null) throw new ScoringPool.Unscorable(lastFailure);
            return ranked;
        }
        List<Item> out = new ArrayList<>(candidates.size());
        List<PreparedItem> scoreNow = new ArrayList<>();
        List<double[]> rows = new ArrayList<>();
        RequestColumns request = null;
        String[] why = new String[1];
        String last = null;
        int seen = 0;
        for (Document d : candidates) {
            if ((seen++ & (CHUNK - 1)) == 0 && Thread.interrupted()) throw new InterruptedException("past the deadline");
            PreparedItem p = items.get(d);
            if (p == null) p = PreparedItem.of(d, model);  // not of this snapshot: prepared for this call only
            if (p.answer != null) {
                out.add(p.answer);
                continue;
            }
            if (!p.complete() && request == null) request = new RequestColumns(requestFeatures, model.columns());
            double[] row = p.joined(request, why);
            if (row == null) {
                last = why[0];
                continue;
            }
            scoreNow.add(p);
            rows.add(row);
        }
        for (Item item : score(model, scoreNow, rows.toArray(double[][]::new))) out.add(item);
        if (out.isEmpty() && last != null) throw new ScoringPool.Unscorable(last);
        out.sort(ORDER);
        return out;
    }

    /**
     * The JSON of {@code answer}'s first {@code limit} items: written once for the whole pool's ranking (the same list
     * answers every request that the request's features cannot change), else for this answer alone.
     */
    String itemsJson(List<Item> answer, int limit) {
        if (answer != ranked) return CachedJson.text(top(answer, limit));
        String json = rankedJson;
        if (json == null) rankedJson = json = CachedJson.text(top(answer, limit));
        return json;
    }

    static List<Item> top(List<Item> items, int k) {
        return items.size() <= k ? items : items.subList(0, k);
    }

    /** The items' rows scored in chunks, checking the thread's interrupt between them. */
    private static Item[] score(ServedModel model, List<PreparedItem> items, double[][] rows) throws InterruptedException {
        Score[] scores = new Score[rows.length];
        for (int from = 0; from < rows.length; from += CHUNK) {
            if (Thread.interrupted()) throw new InterruptedException("past the deadline");
            model.score(rows, from, Math.min(rows.length, from + CHUNK), scores);
        }
        Item[] out = new Item[rows.length];
        for (int i = 0; i < out.length; i++) out[i] = new Item(items.get(i).document.id(), ServedModel.rankScore(scores[i]), scores[i].label());
        return out;
    }
}
