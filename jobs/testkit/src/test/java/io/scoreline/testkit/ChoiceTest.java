package io.scoreline.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Which path each environment takes: CI and make test (endpoints given), a laptop with Docker, neither. */
class ChoiceTest {
    private static final BooleanSupplier NOT_ASKED = () -> {
        throw new AssertionError("Docker was asked although an endpoint is given");
    };

    @ParameterizedTest
    @EnumSource(Server.class)
    void aGivenEndpointIsUsedAndDockerIsNotAsked(Server server) {
        var choice = Choice.of(server, Map.of(server.variable(), " http://127.0.0.1:19200 "), NOT_ASKED);
        assertEquals(new Choice.Given("http://127.0.0.1:19200"), choice);
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void withoutAnEndpointDockerStartsTheServer(Server server) {
        assertEquals(new Choice.Container(), Choice.of(server, Map.of(), () -> true));
        assertEquals(new Choice.Container(), Choice.of(server, Map.of(server.variable(), "  "), () -> true));
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void withNeitherTheFailureIsOneLineSayingHowToProvideOne(Server server) {
        var missing = assertInstanceOf(Choice.Missing.class, Choice.of(server, Map.of(), () -> false));
        String line = missing.line();
        assertFalse(line.contains("\n"), line);
        assertTrue(line.startsWith("no " + server.title() + " for the integration tests: "), line);
        assertTrue(line.contains("run make test"), line);
        assertTrue(line.contains("set " + server.variable() + " to a running one"), line);
        assertTrue(line.contains("start a Docker engine"), line);
        assertTrue(line.contains(server.image()), line);
    }

    @Test
    void oneServersEndpointDoesNotStandForAnother() {
        var env = Map.of("SCORELINE_IT_ES9_URL", "http://127.0.0.1:19200", "SCORELINE_IT_REDIS_URL", "redis://127.0.0.1:16379");
        assertEquals(new Choice.Given("http://127.0.0.1:19200"), Choice.of(Server.ELASTICSEARCH_9, env, NOT_ASKED));
        assertEquals(new Choice.Container(), Choice.of(Server.ELASTICSEARCH_8, env, () -> true));
        assertInstanceOf(Choice.Missing.class, Choice.of(Server.S3, env, () -> false));
    }

    @Test
    void theVariablesAreTheOnesTestenvWrites() {
        assertEquals("SCORELINE_IT_ES9_URL", Server.ELASTICSEARCH_9.variable());
        assertEquals("SCORELINE_IT_ES8_URL", Server.ELASTICSEARCH_8.variable());
        assertEquals("SCORELINE_IT_S3_ENDPOINT", Server.S3.variable());
        assertEquals("SCORELINE_IT_REDIS_URL", Server.REDIS.variable());
    }

    @Test
    void theMessageForElasticsearch9ReadsAsOneInstruction() {
        var missing = (Choice.Missing) Choice.of(Server.ELASTICSEARCH_9, Map.of(), () -> false);
        assertEquals("no Elasticsearch 9 for the integration tests: run make test (it starts one without Docker), or set"
            + " SCORELINE_IT_ES9_URL to a running one, or start a Docker engine so Testcontainers runs"
            + " docker.elastic.co/elasticsearch/elasticsearch:9.5.3", missing.line());
    }
}
