package io.scoreline.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.elasticsearch.ElasticsearchContainer;

/**
 * Starts a server's container and gives its endpoint. Containers are never stopped here: Testcontainers' reaper
 * removes them when the JVM ends, so every test of the JVM shares one of each.
 */
final class Containers {
    static final int S3MOCK_PORT = 9090;
    static final int REDIS_PORT = 6379;
    static final int ELASTICSEARCH_PORT = 9200;

    private Containers() {}

    static String start(Server server, String bucket) {
        GenericContainer<?> container = definition(server);
        container.start();
        String hostPort = container.getHost() + ":" + container.getMappedPort(port(server));
        return switch (server) {
            case ELASTICSEARCH_9, ELASTICSEARCH_8 -> "http://" + hostPort;
            case S3 -> createBucket("http://" + hostPort, bucket);
            case REDIS -> "redis://" + hostPort;
        };
    }

    /**
     * What runs, before anything is started: Elasticsearch on plain HTTP without credentials and a 512 MB heap, as
     * testenv's nodes (the tests bring their own TLS and auth where they test them); S3Mock, the server testenv runs
     * (any credentials, path-style); Redis.
     */
    static GenericContainer<?> definition(Server server) {
        return switch (server) {
            case ELASTICSEARCH_9, ELASTICSEARCH_8 -> new ElasticsearchContainer(server.image())
                .withEnv("xpack.security.enabled", "false")
                .withEnv("ES_JAVA_OPTS", "-Xms512m -Xmx512m");
            case S3 -> new GenericContainer<>(server.image()).withExposedPorts(S3MOCK_PORT)
                .waitingFor(Wait.forHttp("/").forPort(S3MOCK_PORT));
            case REDIS -> new GenericContainer<>(server.image()).withExposedPorts(REDIS_PORT);
        };
    }

    static int port(Server server) {
        return switch (server) {
            case ELASTICSEARCH_9, ELASTICSEARCH_8 -> ELASTICSEARCH_PORT;
            case S3 -> S3MOCK_PORT;
            case REDIS -> REDIS_PORT;
        };
    }

    /** As testenv/s3/start.sh does: S3Mock takes an unsigned PUT. Returns the endpoint. */
    private static String createBucket(String endpoint, String bucket) {
        try (var http = HttpClient.newHttpClient()) {
            var put = HttpRequest.newBuilder(URI.create(endpoint + "/" + bucket)).PUT(HttpRequest.BodyPublishers.noBody()).build();
            var response = http.send(put, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("creating bucket " + bucket + " on " + endpoint + ": HTTP " + response.statusCode()
                    + " " + response.body());
            }
            return endpoint;
        } catch (IOException e) {
            throw new IllegalStateException("creating bucket " + bucket + " on " + endpoint + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating bucket " + bucket, e);
        }
    }
}
