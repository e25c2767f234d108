package io.scoreline.testkit;

import java.util.EnumMap;
import java.util.Map;
import org.testcontainers.DockerClientFactory;

/**
 * The integration tests' servers, one of each per JVM: what SCORELINE_IT_* names (make test, CI), else a Testcontainers
 * container (a machine with Docker), else the test fails with one line saying how to provide one. Never a silent skip.
 */
public final class ItServers {
    private static final Map<Server, String> ENDPOINTS = new EnumMap<>(Server.class);

    private ItServers() {}

    /** The endpoint of {@code server}, e.g. {@code http://127.0.0.1:19200} or {@code redis://127.0.0.1:16379}. */
    public static synchronized String endpoint(Server server) {
        String known = ENDPOINTS.get(server);
        if (known != null) return known;
        String endpoint = switch (Choice.of(server, System.getenv(), ItServers::dockerAvailable)) {
            case Choice.Given given -> given.endpoint();
            case Choice.Container container -> Containers.start(server, s3Bucket());
            case Choice.Missing missing -> throw new AssertionError(missing.line());
        };
        ENDPOINTS.put(server, endpoint);
        return endpoint;
    }

    public static String elasticsearch9() {
        return endpoint(Server.ELASTICSEARCH_9);
    }

    public static String elasticsearch8() {
        return endpoint(Server.ELASTICSEARCH_8);
    }

    public static String redis() {
        return endpoint(Server.REDIS);
    }

    public static String s3() {
        return endpoint(Server.S3);
    }

    /** The bucket of the S3 server: SCORELINE_IT_S3_BUCKET, else {@value Server#DEFAULT_BUCKET} (a container makes it). */
    public static String s3Bucket() {
        String bucket = System.getenv("SCORELINE_IT_S3_BUCKET");
        return bucket == null || bucket.isBlank() ? Server.DEFAULT_BUCKET : bucket.strip();
    }

    private static boolean dockerAvailable() {
        return DockerClientFactory.instance().isDockerAvailable();
    }
}
