package io.scoreline.serve.scoring;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.scoreline.core.records.Document;
import io.scoreline.serve.api.ApiError;
import io.scoreline.serve.api.RankRequest;
import io.scoreline.serve.api.RankResponse;
import io.scoreline.serve.api.RankResponse.Item;
import io.scoreline.serve.fallback.AnswerCache;
import io.scoreline.serve.fallback.BatchPredictions;
import io.scoreline.serve.pool.Pool;
import io.scoreline.serve.pool.PoolFilter;
import io.scoreline.serve.pool.Pools;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Ranks a pool's items for one request key within the deadline: the model's scores, else the last model answer for
 * the key (Redis), else the published batch predictions, else the pool in its stored order.
 */
public final class RankService implements AutoCloseable {
    /** Answers kept in the cache per key: enough for any top_k, small enough to write on every answer. */
    private static final int CACHED_ITEMS = RankRequest.MAX_TOP_K;

    private final Pools pools;
    private final Serving serving;
    private final PreparedPools prepared = new PreparedPools();

    public RankService(Pools pools, Serving serving) {
        this.pools = pools;
        this.serving = serving;
    }

    /** What a cached answer holds: when it was written and the ranked items. */
    record Cached(long writtenAtMs, List<Item> items) {}

    /** A cached answer as it is written: the same JSON as {@link Cached}'s, its items' JSON written beforehand. */
    record CachedText(long writtenAtMs, @JsonRawValue String items) {}

    /** A model answer and the prepared pool it came from. */
    private record Ranked(List<Item> items, PreparedPool pool) {}

    /**
     * Builds Jackson's (de)serializers of the cached and answered forms now: on first use they cost tens of
     * milliseconds, which must not come out of a request's deadline (the first fallback would miss it).
     */
    public static void warmUp() {
        var items = List.of(new Item("id", 0.5, "label"));
        CachedJson.read(CachedJson.write(new Cached(0, items)), Cached.class);
        CachedJson.read(CachedJson.write(new CachedText(0, CachedJson.text(items))), Cached.class);
        CachedJson.write(new RankResponse("pool", "key", items, "model", null, "m", "v", 0L, 1, 0));
    }

    public RankResponse rank(String poolName, RankRequest request, long startNanos) {
        Pool pool = pools.get(poolName).orElseThrow(() -> ApiError.notFound("unknown pool '" + poolName + "'; pools: " + pools.names()));
        ServedModel model = serving.model();
        Deadline deadline = Deadline.of(startNanos, serving.deadline(request.deadlineMs()));
        model.check(request.features(), "features");
        Pool.Snapshot snapshot = pool.snapshot();
        List<Document> candidates = candidates(pool, snapshot, request);

        String cacheKey = serving.cache() == null ? null
            : serving.cache().key("rank", poolName, model.name(), model.version(), request.key());
        var lookup = cacheKey == null ? null : serving.cache().lookup(cacheKey);
        var preparing = prepared.prepare(poolName, snapshot, model);
        var outcome = waited(preparing, deadline) ? serving.scoring().call(deadline, () -> {
            PreparedPool from = preparing.join();
            return new Ranked(from.rank(candidates, request.features()), from);
        }) : new ScoringPool.Outcome<Ranked>(null, "timeout");
        if (outcome.ok()) {
            List<Item> ranked = outcome.value().items();
            if (cacheKey != null) {
                String items = outcome.value().pool().itemsJson(ranked, CACHED_ITEMS);
                serving.cache().put(cacheKey, CachedJson.write(new CachedText(System.currentTimeMillis(), items)));
            }
            return answer(poolName, request, ranked, "model", null, model, null, candidates.size(), deadline);
        }
        String reason = outcome.failure();
        Optional<Cached> cached = cacheKey == null ? Optional.empty()
            : serving.cache().await(lookup, deadline.left()).flatMap(json -> CachedJson.read(json, Cached.class));
        if (cached.isPresent()) {
            List<Item> items = restrict(cached.get().items(), request, candidates);
            return answer(poolName, request, items, "cache", reason, model, System.currentTimeMillis() - cached.get().writtenAtMs(),
                candidates.size(), deadline);
        }
        List<Item> batch = batch(candidates, serving.batch());
        if (!batch.isEmpty()) return answer(poolName, request, batch, "batch", reason, model, null, candidates.size(), deadline);
        List<Item> stored = candidates.stream().limit(request.topK()).map(d -> new Item(d.id(), null, null)).toList();
        return answer(poolName, request, stored, "default", reason, model, null, candidates.size(), deadline);
    }

    /**
     * Waits for the pool's preparation on the request's own thread (holding no scoring thread), as long as the model's
     * share of the deadline allows; false when it is still going on.
     */
    private static boolean waited(CompletableFuture<PreparedPool> preparing, Deadline deadline) {
        if (preparing.isDone()) return true;
        try {
            preparing.get(Math.max(0, deadline.modelNanosLeft()), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;  // the scoring call meets the failure: answered from the fallbacks as an "error"
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Starts preparing every pool's current version for the served model, so the first requests find it done. */
    public void prepareAll() {
        for (String name : pools.names()) pools.get(name).ifPresent(p -> prepared.prepare(name, p.snapshot(), serving.model()));
    }

    @Override
    public void close() {
        prepared.close();
    }

    /** The pool's items narrowed by the request's ids and filter, in memory (a bad filter is the caller's 400). */
    private static List<Document> candidates(Pool pool, Pool.Snapshot snapshot, RankRequest request) {
        List<String> ids = request.candidates();
        List<Document> chosen = snapshot.items();
        if (ids != null) {
            chosen = new ArrayList<>(ids.size());
            for (String id : ids) {
                Document d = snapshot.byId().get(id);
                if (d != null) chosen.add(d);
            }
        }
        if (request.filter() == null || request.filter().isEmpty()) return chosen;
        PoolFilter filter;
        try {
            filter = PoolFilter.of(pool.spec(), request.filter());
        } catch (PoolFilter.Invalid e) {
            throw ApiError.badRequest(e.getMessage());
        }
        List<Document> kept = new ArrayList<>();
        for (Document d : chosen) if (filter.matches(d)) kept.add(d);
        return kept;
    }

    private static List<Item> batch(List<Document> candidates, BatchPredictions batch) {
        if (batch.size() == 0) return List.of();  // no batch output: not a look-up per candidate of a big pool, after the deadline
        List<Item> items = new ArrayList<>();
        for (Document d : candidates) batch.get(d.id()).ifPresent(p -> items.add(new Item(d.id(), p.score(), null)));
        items.sort(PreparedPool.ORDER);
        return items;
    }

    /** A cached answer narrowed to this request's candidates (when it named ids or a filter). */
    private static List<Item> restrict(List<Item> items, RankRequest request, List<Document> candidates) {
        if (request.candidates() == null && (request.filter() == null || request.filter().isEmpty())) return items;
        var wanted = new java.util.HashSet<String>(candidates.size() * 2);
        for (Document d : candidates) wanted.add(d.id());
        return items.stream().filter(i -> wanted.contains(i.id())).toList();
    }

    private static RankResponse answer(String pool, RankRequest request, List<Item> items, String source, String reason, ServedModel model,
                                       Long cacheAgeMs, int candidates, Deadline deadline) {
        return new RankResponse(pool, request.key(), top(items, request.topK()), source, reason, model.name(), model.version(), cacheAgeMs,
            candidates, deadline.tookMs());
    }

    private static List<Item> top(List<Item> items, int k) {
        return PreparedPool.top(items, k);
    }
}
