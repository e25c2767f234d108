package io.scoreline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoreline.core.records.Json;
import io.scoreline.testkit.ItServers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The smoke form of faults/freshness.py (docs/reliability.md): four five-minute cycles of the real jars on the
 * simulated clock, the S3 server answering 503 SlowDown for the whole third cycle. The failed cycle ends with exit 4
 * after its retries, the next one catches up, no minute is stale without a flag, and no log, alert or stored object
 * holds a test credential.
 */
class FreshnessSimulationTest {

    @Test
    void fourCyclesWithAnS3OutageStayFreshAndLeakNoSecret() throws Exception {
        String endpoint = ItServers.s3();
        Path out = Jobs.ROOT.resolve("jobs/it/target/freshness-smoke");
        ProcessBuilder pb = new ProcessBuilder("python3", "faults/freshness.py", "--cycles", "4", "--out", out.toString(),
            "--dist", Jobs.ROOT.resolve("dist").toString()).directory(Jobs.ROOT.toFile()).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("SCORELINE_IT_S3_ENDPOINT", endpoint);  // a container's, where Testcontainers started it
        pb.environment().put("SCORELINE_IT_S3_BUCKET", ItServers.s3Bucket());
        Process p = pb.start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(15, TimeUnit.MINUTES), log);
        assertEquals(0, p.exitValue(), log);

        JsonNode report = Json.MAPPER.readTree(out.resolve("report.json").toFile());
        assertEquals(20, report.path("simulated_minutes").asInt(), log);
        assertEquals(0, report.path("secret_leaks").size(), log);
        assertEquals(0, report.path("stale_minutes_unflagged").size(), log);
        assertEquals(1.0, report.path("fresh_fraction_all").asDouble(), log);

        JsonNode slots = Json.MAPPER.readTree(out.resolve("timeline.json").toFile());
        assertEquals("s3-slowdown", slots.get(2).path("fault").asText(), log);
        assertEquals(4, slots.get(2).path("exit").asInt(), "store unavailable after the job's own retries\n" + log);
        assertEquals(0, slots.get(3).path("exit").asInt(), "the cycle after the outage publishes\n" + log);
        assertTrue(report.path("alerts").asInt() >= 1, "the failed cycle alerted\n" + log);
        assertTrue(Files.readString(out.resolve("freshness.svg")).startsWith("<svg"), log);
    }
}
