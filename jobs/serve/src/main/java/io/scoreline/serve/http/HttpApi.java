package io.scoreline.serve.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.scoreline.core.records.Json;
import io.scoreline.serve.api.ApiError;
import io.scoreline.serve.api.PredictRequest;
import io.scoreline.serve.api.RankRequest;
import io.scoreline.serve.scoring.PredictService;
import io.scoreline.serve.scoring.RankService;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The routes: tiny handlers that parse, call a service and write JSON; every refusal becomes one JSON error here. */
public final class HttpApi {
    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
    private static final byte[] OPENAPI = openapi();

    private final RankService rank;
    private final PredictService predict;
    private final BooleanSupplier ready;
    private final Supplier<Map<String, Object>> readiness;

    public HttpApi(RankService rank, PredictService predict, BooleanSupplier ready) {
        this(rank, predict, ready, Map::of);
    }

    /** {@code readiness}: detail added to /readyz's body (the model served, the last failed reload). */
    public HttpApi(RankService rank, PredictService predict, BooleanSupplier ready, Supplier<Map<String, Object>> readiness) {
        this.rank = rank;
        this.predict = predict;
        this.ready = ready;
        this.readiness = readiness;
    }

    public void routes(HttpRouting.Builder routing) {
        routing
            .get("/healthz", (req, res) -> json(res, 200, new Status_("alive")))
            .get("/readyz", (req, res) -> {
                boolean up = ready.getAsBoolean();
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("status", up ? "ready" : "loading the model and pools");
                body.putAll(readiness.get());
                json(res, up ? 200 : 503, body);
            })
            .get("/openapi.yaml", (req, res) -> res.header(HeaderValues.create("Content-Type", "application/yaml")).send(OPENAPI))
            .post("/v1/pools/{pool}/rank", (req, res) -> {
                long started = System.nanoTime();
                var request = RankRequest.of(body(req));
                json(res, 200, rank.rank(req.path().pathParameters().get("pool"), request, started));
            })
            .post("/v1/models/{model}/predict", (req, res) -> {
                long started = System.nanoTime();
                var request = PredictRequest.of(body(req));
                json(res, 200, predict.predict(req.path().pathParameters().get("model"), request, started));
            })
            .error(ApiError.class, (req, res, e) -> json(res, e.status(), e.body()))
            .error(Exception.class, (req, res, e) -> {
                log.error("request {} {} failed", req.prologue().method().text(), req.path().path(), e);
                json(res, 500, new ApiError.Body("internal error: " + e.getClass().getSimpleName(), 500));
            });
    }

    private record Status_(String status) {}

    private static JsonNode body(ServerRequest req) {
        byte[] bytes = req.content().hasEntity() ? req.content().as(byte[].class) : new byte[0];
        if (bytes.length == 0) throw ApiError.badRequest("the body is empty: send a JSON object");
        try {
            return Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw ApiError.badRequest("the body is not valid JSON: " + Json.describe(e));
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
