package io.scoreline.serve.api;

import java.util.List;

/**
 * The answer to a rank request. {@code source}: model, cache (the last model answer for this key), batch (the
 * published predictions) or default (the pool in its stored order, without scores); {@code fallbackReason} says why the
 * model did not answer (timeout, error, overloaded, unscorable).
 */
public record RankResponse(String pool, String key, List<Item> items, String source, String fallbackReason, String model,
                           String modelVersion, Long cacheAgeMs, int candidates, long tookMs) {
    public record Item(String id, Double score, String label) {}
}
