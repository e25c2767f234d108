package io.scoreline.serve.http;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderValues;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.scoreline.core.records.Json;
import io.scoreline.serve.api.ApiError;
import io.scoreline.serve.observe.Exchange;
import io.scoreline.serve.observe.Telemetry;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A body over the limit: the HTTP server refuses it by its Content-Length before any route (or, chunked, once a route
 * has read past the limit), so the answer is made here, as the routes make theirs (one JSON error), and counted and
 * logged like any other refusal of an endpoint.
 */
final class OversizedBody implements DirectHandler {
    private static final Pattern RANK = Pattern.compile("/v1/pools/([^/?]+)/rank(\\?.*)?");
    private static final Pattern PREDICT = Pattern.compile("/v1/models/([^/?]+)/predict(\\?.*)?");

    private final Telemetry telemetry;
    private final long limit;

    OversizedBody(Telemetry telemetry, long limit) {
        this.telemetry = telemetry;
        this.limit = limit;
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType event, Status status, ServerResponseHeaders headers,
                                    String message) {
        if (status.code() != 413) return DirectHandler.defaultHandler().handle(request, event, status, headers, message);
        long started = System.nanoTime();
        String error = "the body is over the limit of " + limit + " bytes: send fewer rows or items per request";
        Matcher rank = RANK.matcher(request.path()), predict = PREDICT.matcher(request.path());
        if (rank.matches()) telemetry.answered(Exchange.refused(Exchange.RANK, rank.group(1), null, 413, error, started));
        if (predict.matches()) telemetry.answered(Exchange.refused(Exchange.PREDICT, predict.group(1), null, 413, error, started));
        headers.set(HeaderValues.CONTENT_TYPE_JSON);
        // the unread body is still on the connection: close it, as Helidon does for this event
        return TransportResponse.builder().status(Status.REQUEST_ENTITY_TOO_LARGE_413).headers(headers).keepAlive(false)
            .entity(Json.MAPPER.valueToTree(new ApiError.Body(error, 413)).toString()).build();
    }
}
