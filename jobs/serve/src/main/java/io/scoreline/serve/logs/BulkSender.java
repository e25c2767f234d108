package io.scoreline.serve.logs;

import co.elastic.clients.transport.rest5_client.low_level.Request;
import co.elastic.clients.transport.rest5_client.low_level.Response;
import co.elastic.clients.transport.rest5_client.low_level.ResponseException;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import com.fasterxml.jackson.databind.JsonNode;
import io.scoreline.core.records.Json;
import io.scoreline.serve.observe.Exchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One bulk request of request-log documents ({@code create}, as a data stream takes them), and what became of each. */
final class BulkSender {
    private static final Logger log = LoggerFactory.getLogger(BulkSender.class);
    private static final byte[] CREATE = "{\"create\":{}}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    private static final ContentType NDJSON = ContentType.create("application/x-ndjson");

    private final Rest5Client rest;
    private final String endpoint;
    private final int defaultDeadlineMs;
    private final String host;
    private final AtomicLong stored = new AtomicLong(), unavailable = new AtomicLong(), rejected = new AtomicLong();

    BulkSender(Rest5Client rest, String dataStream, int defaultDeadlineMs, String host) {
        this.rest = rest;
        this.endpoint = "/" + dataStream + "/_bulk";
        this.defaultDeadlineMs = defaultDeadlineMs;
        this.host = host;
    }

    /** Sends the batch; false when the bulk request failed as a whole (every document dropped). */
    boolean send(List<Exchange> batch) {
        try {
            var body = new ByteArrayOutputStream(batch.size() * 512);
            for (Exchange e : batch) {
                body.write(CREATE);
                Json.MAPPER.writeValue(body, LogDocument.of(e, defaultDeadlineMs, host));
                body.write('\n');
            }
            var request = new Request("POST", endpoint);
            request.setEntity(new ByteArrayEntity(body.toByteArray(), NDJSON));
            Response response = rest.performRequest(request);
            count(batch.size(), response);
            return true;
        } catch (Exception e) {
            if (unavailable.getAndAdd(batch.size()) == 0 || Long.numberOfTrailingZeros(unavailable.get()) >= 10) {
                log.warn("request log: {} documents dropped, the bulk request failed: {} ({} dropped so far)", batch.size(), describe(e),
                    unavailable.get());
            }
            return false;
        }
    }

    private void count(int sent, Response response) throws IOException {
        JsonNode answer;
        try (InputStream in = response.getEntity().getContent()) {
            answer = Json.MAPPER.readTree(in);
        }
        if (!answer.path("errors").asBoolean()) {
            stored.addAndGet(sent);
            return;
        }
        int refused = 0;
        String reason = null;
        for (JsonNode item : answer.path("items")) {
            JsonNode result = item.path("create");
            if (result.path("status").asInt(500) / 100 == 2) continue;
            refused++;
            reason = result.path("error").path("type").asText() + ": " + result.path("error").path("reason").asText();
            if (reason.length() > 300) reason = reason.substring(0, 300) + "…";  // Elasticsearch quotes the value refused
        }
        stored.addAndGet(sent - refused);
        if (rejected.getAndAdd(refused) == 0) log.warn("request log: Elasticsearch refused {} documents, e.g. {}", refused, reason);
    }

    long stored() {
        return stored.get();
    }

    long unavailable() {
        return unavailable.get();
    }

    long rejected() {
        return rejected.get();
    }

    /** One line about a failed request: its status, or what went wrong with the connection. */
    static String describe(Exception e) {
        if (e instanceof ResponseException r) return "HTTP " + r.getResponse().getStatusCode();
        Throwable root = e;
        while (root.getCause() != null) root = root.getCause();
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
