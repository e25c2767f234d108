package io.scoreline.core.store;

import io.scoreline.testkit.ItServers;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The real S3 server of the integration tests, from {@link ItServers}: SCORELINE_IT_S3_ENDPOINT (the URL
 * testenv/s3/start.sh prints) and SCORELINE_IT_S3_BUCKET (default scoreline-it), else a container where Docker runs;
 * with neither, every caller fails with one line saying how to provide one.
 */
final class S3TestServer {
    static final String ACCESS_KEY = "scoreline-it";
    static final String SECRET_KEY = "scoreline-it-secret-value";
    /** Small enough to reach multipart (5 MiB parts), pagination and quick failures with small objects. */
    static final S3Limits SMALL = new S3Limits(S3Limits.MIN_PART_SIZE, 3, S3Limits.DEFAULTS.maxCopyBytes(), 2,
        Duration.ofSeconds(2), Duration.ofSeconds(30));

    private S3TestServer() {}

    static URI endpoint() {
        return URI.create(ItServers.s3());
    }

    static String bucket() {
        return ItServers.s3Bucket();
    }

    /** S3Mock's client settings: path-style, us-east-1, any static credentials. */
    static S3Settings settings(URI endpoint) {
        return new S3Settings("us-east-1", endpoint, true, S3Encryption.NONE);
    }

    static S3Client client(S3Settings settings, S3Limits limits) {
        return clientBuilder(settings, limits).build();
    }

    static S3ClientBuilder clientBuilder(S3Settings settings, S3Limits limits) {
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
        return S3Clients.builder(settings, credentials, limits);
    }

    static S3Client client() {
        return client(settings(endpoint()), SMALL);
    }

    static S3Store store(String bucket, String prefix, S3Limits limits) {
        return new S3Store(client(settings(endpoint()), limits), S3Location.parse("s3://" + bucket + "/" + prefix),
            S3Encryption.NONE, limits);
    }

    /** A loopback port nobody listens on (it was free a moment ago): connections to it are refused. */
    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static void deleteAll(S3Client s3, String prefix) {
        var keys = s3.listObjectsV2Paginator(b -> b.bucket(bucket()).prefix(prefix)).contents().stream()
            .map(S3Object::key).map(k -> ObjectIdentifier.builder().key(k).build()).toList();
        for (int i = 0; i < keys.size(); i += 1000) {
            var batch = keys.subList(i, Math.min(keys.size(), i + 1000));
            s3.deleteObjects(b -> b.bucket(bucket()).delete(d -> d.objects(batch)));
        }
    }
}
