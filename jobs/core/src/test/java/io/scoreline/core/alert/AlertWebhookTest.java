package io.scoreline.core.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.scoreline.core.error.ExitCode;
import io.scoreline.core.error.JobException;
import io.scoreline.core.cli.JobRunner;
import io.scoreline.core.cli.RunOptions;
import io.scoreline.core.cli.VerboseOption;
import io.scoreline.core.error.ExitCodeTable;
import io.scoreline.core.records.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** --alert-webhook against a real HTTP server on port 0: one JSON alert per failed run, the URL never printed. */
class AlertWebhookTest {
    private static final String SECRET_PATH = "/services/T000/B000/s3cr3t-token";

    private HttpServer server;
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private String url;

    @Command(name = "demo")
    static final class DemoJob implements Callable<Integer> {
        @Mixin private RunOptions run;
        @Mixin private AlertOptions alert;
        @Mixin private VerboseOption verbose;

        @Option(names = "--exit", defaultValue = "0")
        private int exit;

        @Override
        public Integer call() {
            run.runId();
            if (exit != 0) throw new JobException(ExitCode.of(exit), "source file:///data/docs is gone: restore it");
            return 0;
        }
    }

    record Result(int exit, String out, String err) {}

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(SECRET_PATH, exchange -> {
            received.add(Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes()));
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort() + SECRET_PATH;
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private static Result run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = JobRunner.run(DemoJob::new, args, env, new PrintWriter(out), new PrintWriter(err));
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void failedJobPostsExactlyOneAlert() {
        Result r = run(Map.of(), "--run-id", "scheduled__2026-11-25T10:05:00+00:00", "--exit", "3", "--alert-webhook", url);

        assertEquals(3, r.exit(), r.err());
        assertEquals(1, received.size(), received.toString());
        JsonNode alert = received.get(0);
        assertEquals("demo", alert.path("job").asText());
        assertEquals("scheduled__2026-11-25T10:05:00+00:00", alert.path("run_id").asText());
        assertEquals(3, alert.path("exit_code").asInt());
        assertEquals("source unavailable", alert.path("meaning").asText());
        assertEquals("source file:///data/docs is gone: restore it", alert.path("error").asText());
        assertEquals("failed", alert.path("event").asText());
        assertTrue(alert.path("retryable").asBoolean());
        List<String> fields = new java.util.ArrayList<>();
        alert.fieldNames().forEachRemaining(fields::add);
        assertEquals(ExitCodeTable.alertFields(), fields, "the fields exit-codes.json names, in its order");
        assertTrue(alert.path("text").asText().contains("demo failed") && alert.path("text").asText().contains("exit 3"), alert.toString());
        assertFalse(r.err().contains("s3cr3t") || r.out().contains("s3cr3t"), r.err());
    }

    @Test
    void webhookComesFromTheEnvironmentToo() {
        Result r = run(Map.of("SCORELINE_ALERT_WEBHOOK", url), "--run-id", "r1", "--exit", "5");

        assertEquals(5, r.exit());
        assertEquals(1, received.size());
        assertEquals("model missing, corrupt or incompatible", received.get(0).path("meaning").asText());
    }

    @Test
    void successSendsNothing() {
        Result r = run(Map.of("SCORELINE_ALERT_WEBHOOK", url), "--run-id", "r1");

        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of(), received);
    }

    @Test
    void usageErrorsAlertToo() {
        Result r = run(Map.of("SCORELINE_ALERT_WEBHOOK", url, "SCORELINE_RUN_ID", "r9"), "--no-such-flag");

        assertEquals(2, r.exit());
        assertEquals(1, received.size());
        assertEquals(2, received.get(0).path("exit_code").asInt());
        assertEquals("r9", received.get(0).path("run_id").asText());
        assertTrue(received.get(0).path("error").asText().contains("--no-such-flag"), received.toString());
    }

    @Test
    void aUsageErrorBeforeTheWebhookFlagStillAlerts() {
        Result r = run(Map.of(), "--exit", "many", "--alert-webhook", url, "--run-id=r7");

        assertEquals(2, r.exit());
        assertEquals(1, received.size(), r.toString());
        assertEquals("r7", received.get(0).path("run_id").asText());
    }

    @Test
    void rejectedAlertIsOneLineWithoutTheUrlAndKeepsTheExitCode() {
        status = 500;
        Result r = run(Map.of("SCORELINE_ALERT_WEBHOOK", url), "--run-id", "r1", "--exit", "4");

        assertEquals(4, r.exit());
        assertEquals(1, received.size());
        assertTrue(r.err().contains("alert not sent to --alert-webhook: the webhook answered HTTP 500"), r.err());
        assertFalse(r.err().contains("s3cr3t") || r.err().contains("127.0.0.1"), r.err());
    }

    @Test
    void unreachableWebhookIsReportedWithoutTheUrl() {
        server.stop(0); // nothing listens on the port any more
        Result r = run(Map.of("SCORELINE_ALERT_WEBHOOK", url), "--run-id", "r1", "--exit", "6", "--verbose");

        assertEquals(6, r.exit());
        assertTrue(r.err().contains("alert not sent to --alert-webhook: the webhook is unreachable"), r.err());
        assertFalse(r.err().contains("s3cr3t") || r.err().contains("127.0.0.1"), r.err());
    }

    @Test
    void notAUrlIsReportedWithoutEchoingIt() {
        var problem = new WebhookAlerts(WebhookAlerts.DEFAULT_TIMEOUT)
            .send("hooks.slack.com/services/s3cr3t", new Alert("demo", null, 1, "bug", true, "boom"));

        assertEquals("the webhook is not an http(s) URL", problem.orElseThrow());
    }
}
