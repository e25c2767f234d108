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
    private static final int S3MOCK_PORT = 9090;
    private static final int REDIS_PORT = 6379;

    private Containers() {}

    static String start(Server server, String bucket) {
        return switch (server) {
            case ELASTICSEARCH_9, ELASTICSEARCH_8 -> elasticsearch(server);
            case S3 -> s3(server, bucket);
            case REDIS -> redis(server);
        };
    }

    /** Plain HTTP without credentials, as testenv's nodes: the tests bring their own TLS and auth where they test them. */
    @SuppressWarnings("resource")  // stopped by the reaper at JVM exit
    private static String elasticsearch(Server server) {
        var es = new ElasticsearchContainer(server.image())
            .withEnv("xpack.security.enabled", "false")
            .withEnv("ES_JAVA_OPTS", "-Xms512m -Xmx512m");
        es.start();
        return "http://" + es.getHttpHostAddress();
    }

    /** S3Mock, the server testenv runs: any credentials, path-style; the bucket is made as testenv/s3/start.sh does. */
    @SuppressWarnings("resource")
    private static String s3(Server server, String bucket) {
        var s3 = new GenericContainer<>(server.image()).withExposedPorts(S3MOCK_PORT)
            .waitingFor(Wait.forHttp("/").forPort(S3MOCK_PORT));
        s3.start();
        String endpoint = "http://" + s3.getHost() + ":" + s3.getMappedPort(S3MOCK_PORT);
        createBucket(endpoint, bucket);
        return endpoint;
    }

    @SuppressWarnings("resource")
    private static String redis(Server server) {
        var redis = new GenericContainer<>(server.image()).withExposedPorts(REDIS_PORT);
        redis.start();
        return "redis://" + redis.getHost() + ":" + redis.getMappedPort(REDIS_PORT);
    }

    private static void createBucket(String endpoint, String bucket) {
        try (var http = HttpClient.newHttpClient()) {
            var put = HttpRequest.newBuilder(URI.create(endpoint + "/" + bucket)).PUT(HttpRequest.BodyPublishers.noBody()).build();
            var response = http.send(put, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("creating bucket " + bucket + " on " + endpoint + ": HTTP " + response.statusCode()
                    + " " + response.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException("creating bucket " + bucket + " on " + endpoint + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating bucket " + bucket, e);
        }
    }
}
