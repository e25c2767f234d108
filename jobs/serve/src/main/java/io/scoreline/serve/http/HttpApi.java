package io.scoreline.serve.http;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.scoreline.core.records.Json;
import io.scoreline.serve.api.ApiError;
import io.scoreline.serve.api.PredictRequest;
import io.scoreline.serve.api.RankRequest;
import io.scoreline.serve.scoring.PredictService;
import io.scoreline.serve.observe.Exchange;
import io.scoreline.serve.observe.Observability;
import io.scoreline.serve.observe.Telemetry;
import io.scoreline.serve.scoring.RankService;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The routes: tiny handlers that parse, call a service and write JSON; every refusal becomes one JSON error here. */
public final class HttpApi {
    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
    private static final byte[] OPENAPI = openapi();
    private static final Pattern SCORING = Pattern.compile("/v1/(pools/[^/]+/rank|models/[^/]+/predict)");
    /** One JSON value, each key once: '{"top_k": 5} x' or '{"key": "a", "key": "b"}' is a mistake to answer, not to guess at. */
    private static final ObjectReader BODY = Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);

    private final RankService rank;
    private final PredictService predict;
    private final BooleanSupplier ready;
    private final Observability observability;
    private final Telemetry telemetry;
    private final Supplier<Map<String, Object>> readiness;

    public HttpApi(RankService rank, PredictService predict, BooleanSupplier ready, Observability observability) {
        this(rank, predict, ready, observability, Map::of);
    }

    /** {@code readiness}: detail added to /readyz's body (the model served, the hot reload's last failure). */
    public HttpApi(RankService rank, PredictService predict, BooleanSupplier ready, Observability observability,
                   Supplier<Map<String, Object>> readiness) {
        this.rank = rank;
        this.predict = predict;
        this.ready = ready;
        this.observability = observability;
        this.telemetry = observability.telemetry();
        this.readiness = readiness;
    }

    public void routes(HttpRouting.Builder routing) {
        routing
            .get("/healthz", (req, res) -> json(res, 200, new Status_("alive")))
            .get("/readyz", (req, res) -> {
                boolean up = ready.getAsBoolean();
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("status", up ? "ready" : "loading the model and pools");
                body.put("failing", observability.incidents());
                body.putAll(readiness.get());
                json(res, up ? 200 : 503, body);
            })
            .get("/metrics", (req, res) -> res.header(HeaderValues.create("Content-Type", "text/plain; version=0.0.4; charset=utf-8"))
                .send(observability.metrics().scrape()))
            .get("/openapi.yaml", (req, res) -> res.header(HeaderValues.create("Content-Type", "application/yaml")).send(OPENAPI))
            .post("/v1/pools/{pool}/rank", endpoint(Exchange.RANK, "pool", RankRequest::of, rank::rank, Exchange::ranked))
            .post("/v1/models/{model}/predict", endpoint(Exchange.PREDICT, "model", PredictRequest::of, predict::predict, Exchange::predicted))
            .any(HttpApi::noRoute)
            .error(ApiError.class, (req, res, e) -> json(res, e.status(), e.body()))
            .error(Exception.class, (req, res, e) -> {
                log.error("request {} {} failed", req.prologue().method().text(), req.path().path(), e);
                json(res, 500, new ApiError.Body("internal error: the service logged the details", 500));  // no Java names to clients
            });
    }

    /** Any other method or path: the same JSON error as every refusal (not the server's plain-text page), saying what exists. */
    private static void noRoute(ServerRequest req, ServerResponse res) {
        String path = req.path().path(), method = req.prologue().method().text();
        if (SCORING.matcher(path).matches()) {
            res.header(HeaderValues.create("Allow", "POST"));
            json(res, 405, new ApiError.Body(method + " " + path + ": use POST", 405));
        } else {
            json(res, 404, new ApiError.Body("no endpoint " + method + " " + path + "; endpoints: POST /v1/pools/{pool}/rank, "
                + "POST /v1/models/{model}/predict, GET /healthz, /readyz, /metrics, /openapi.yaml", 404));
        }
    }

    /** The answer to a body over {@code limit} bytes, which the HTTP server refuses before any route. */
    public void directHandlers(DirectHandlers.Builder handlers, long limit) {
        var oversized = new OversizedBody(telemetry, limit);
        // Helidon 4.5 refuses a Content-Length over the limit as a BAD_REQUEST event with status 413
        handlers.addHandler(DirectHandler.EventType.BAD_REQUEST, oversized).addHandler(DirectHandler.EventType.PAYLOAD_TOO_LARGE, oversized);
    }

    private record Status_(String status) {}

    /** What an endpoint does with a parsed request for its target (pool or model), within the deadline from {@code started}. */
    private interface Call<Q, A> {
        A answer(String target, Q request, long started);
    }

    /** How an answered request is logged for Kibana and counted. */
    private interface Logged<Q, A> {
        Exchange of(String target, Q request, A answer, long started);
    }

    /** One scoring endpoint: parse the body, answer, log; a refusal is logged too, then becomes the JSON error. */
    private <Q, A> Handler endpoint(String endpoint, String targetParam, Function<JsonNode, Q> parse, Call<Q, A> call, Logged<Q, A> logged) {
        return (req, res) -> {
            long started = System.nanoTime();
            String target = req.path().pathParameters().get(targetParam);
            JsonNode body = null;
            try {
                body = body(req);
                Q request = parse.apply(body);
                A answer = call.answer(target, request, started);
                json(res, 200, answer);
                telemetry.answered(logged.of(target, request, answer, started));
            } catch (RuntimeException e) {
                refused(endpoint, target, body, e, started);
                throw e;
            }
        };
    }

    private void refused(String endpoint, String target, JsonNode body, RuntimeException e, long started) {
        if (e instanceof io.helidon.http.RequestException over && over.status().code() == 413) return;  // OversizedBody answers it
        JsonNode key = body == null ? null : body.get("key");
        int status = switch (e) {
            case ApiError api -> api.status();
            case io.helidon.http.HttpException http -> http.status().code();
            case io.helidon.http.RequestException http -> http.status().code();
            default -> 500;
        };
        String error = e instanceof ApiError api ? api.body().error() : status == 500 ? "internal error: " + e.getClass().getSimpleName()
            : e.getMessage();
        telemetry.answered(Exchange.refused(endpoint, target, key != null && key.isTextual() ? key.asText() : null, status, error, started));
    }

    private static JsonNode body(ServerRequest req) {
        byte[] bytes = req.content().hasEntity() ? req.content().as(byte[].class) : new byte[0];
        if (bytes.length == 0) throw ApiError.badRequest("the body is empty: send a JSON object");
        try {
            return BODY.readTree(bytes);
        } catch (IOException e) {
            throw ApiError.badRequest("the body is " + Json.problem(e) + ": send one JSON object");
        }
    }

    private static void json(ServerResponse res, int status, Object body) {
        try {
            res.status(Status.create(status)).header(HeaderValues.CONTENT_TYPE_JSON).send(Json.MAPPER.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] openapi() {
        try (InputStream in = HttpApi.class.getResourceAsStream("/openapi.yaml")) {
            return in.readAllBytes();
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("openapi.yaml is missing from the jar", e);
        }
    }
}
