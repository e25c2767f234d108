package io.scoreline.serve.scoring;

import io.scoreline.serve.api.ApiError;
import io.scoreline.serve.fallback.AnswerCache;
import io.scoreline.serve.fallback.BatchPredictions;
import java.time.Duration;

/**
 * What every endpoint answers with: the model (once loaded), the scoring threads, the default deadline and the
 * fallbacks (the answer cache may be null: no --redis-url).
 */
public final class Serving {
    private final ScoringPool scoring;
    private final Duration defaultDeadline;
    private final AnswerCache cache;
    private volatile ServedModel model;
    private volatile BatchPredictions batch;

    public Serving(ScoringPool scoring, Duration defaultDeadline, AnswerCache cache) {
        this.scoring = scoring;
        this.defaultDeadline = defaultDeadline;
        this.cache = cache;
    }

    public void ready(ServedModel model, BatchPredictions batch) {
        this.batch = batch;
        this.model = model;
    }

    /** Hot reload: the next request scores with {@code next}; a request already running keeps the model it read. */
    public void swap(ServedModel next) {
        this.model = next;
    }

    public boolean hasModel() {
        return model != null;
    }

    /** The model; a request before it is loaded gets a 503. */
    public ServedModel model() {
        ServedModel current = model;
        if (current == null) throw ApiError.notReady("the model is still loading; retry shortly (see /readyz)");
        return current;
    }

    public BatchPredictions batch() {
        return batch;
    }

    public ScoringPool scoring() {
        return scoring;
    }

    public AnswerCache cache() {
        return cache;
    }

    public Duration deadline(Integer requestedMs) {
        return requestedMs == null ? defaultDeadline : Duration.ofMillis(requestedMs);
    }
}
