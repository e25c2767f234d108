package io.scoreline.serve.logs;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.scoreline.serve.observe.Exchange;
import java.time.Instant;
import java.util.List;

/**
 * One request as the data stream holds it (mapping: request-log-mappings.json, the one source Kibana's objects are checked
 * against). {@code pool} and {@code candidates} are a rank's, {@code rows} a predict's; null fields are left out.
 */
record LogDocument(@JsonProperty("@timestamp") String timestamp, String endpoint, String pool, String model, String modelVersion, String key,
                   int status, String source, String fallbackReason, List<Exchange.Scored> items, Double topScore, Integer candidates,
                   Integer rows, int deadlineMs, double latencyMs, String error, String host) {

    static LogDocument of(Exchange e, int defaultDeadlineMs, String host) {
        boolean rank = Exchange.RANK.equals(e.endpoint());
        Double top = e.items().isEmpty() ? null : e.items().getFirst().score();
        String model = e.model() != null ? e.model() : rank ? null : e.target();
        return new LogDocument(Instant.ofEpochMilli(e.atEpochMs()).toString(), e.endpoint(), rank ? e.target() : null, model, e.modelVersion(),
            e.key(), e.status(), e.source(), e.fallbackReason(), e.items().isEmpty() ? null : e.items(), top,
            rank && e.status() == 200 ? e.count() : null, !rank && e.status() == 200 ? e.count() : null,
            e.deadlineMs() != null ? e.deadlineMs() : defaultDeadlineMs, e.latencyNanos() / 1e6, e.error(), host);
    }
}
