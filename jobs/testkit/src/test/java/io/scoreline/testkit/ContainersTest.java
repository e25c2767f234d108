package io.scoreline.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The containers as defined, without a Docker engine (nothing here starts or pulls one). */
class ContainersTest {

    @ParameterizedTest
    @EnumSource(Server.class)
    void eachServerExposesThePortItsEndpointUses(Server server) {
        try (var container = Containers.definition(server)) {
            assertTrue(container.getExposedPorts().contains(Containers.port(server)), container.getExposedPorts().toString());
        }
    }

    @ParameterizedTest
    @EnumSource(value = Server.class, names = {"ELASTICSEARCH_9", "ELASTICSEARCH_8"})
    void elasticsearchSpeaksPlainHttpWithoutCredentialsAsTestenvsNodes(Server server) {
        try (var container = Containers.definition(server)) {
            assertEquals("false", container.getEnvMap().get("xpack.security.enabled"));
            assertEquals("single-node", container.getEnvMap().get("discovery.type"));
            assertEquals("-Xms512m -Xmx512m", container.getEnvMap().get("ES_JAVA_OPTS"));
        }
    }

    /** The same server versions on both paths: Docker's images are the versions testenv/ runs without Docker. */
    @Test
    void theImagesAreTheVersionsTestenvRuns() throws IOException {
        Path testenv = Path.of("../../testenv");
        String es = Files.readString(testenv.resolve("elasticsearch/start.sh"));
        assertTrue(es.contains("9) DEFAULT_VERSION=" + version(Server.ELASTICSEARCH_9) + ";"), Server.ELASTICSEARCH_9.image());
        assertTrue(es.contains("8) DEFAULT_VERSION=" + version(Server.ELASTICSEARCH_8) + ";"), Server.ELASTICSEARCH_8.image());
        String s3 = Files.readString(testenv.resolve("s3/start.sh"));
        assertTrue(s3.contains("VERSION=${SCORELINE_S3MOCK_VERSION:-" + version(Server.S3) + "}"), Server.S3.image());
    }

    private static String version(Server server) {
        return server.image().substring(server.image().lastIndexOf(':') + 1);
    }
}
