package io.scoreline.source.es;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.RetryConfig;
import co.elastic.clients.transport.instrumentation.NoopInstrumentation;
import co.elastic.clients.transport.rest5_client.Rest5ClientOptions;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Node;
import co.elastic.clients.transport.rest5_client.low_level.RequestOptions;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import co.elastic.clients.transport.rest5_client.low_level.Rest5ClientBuilder;
import io.scoreline.core.error.JobException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the Elasticsearch Java API client over its own HTTP client (Apache httpclient5) from {@link EsSettings}. */
public final class EsClients {
    private static final Logger log = LoggerFactory.getLogger(EsClients.class);
    private static final Duration LONGEST_CONNECT = Duration.ofSeconds(10);

    private EsClients() {}

    /**
     * A cluster connection for these settings; {@code connections} is how many requests may run at once (fetch: one
     * per slice and a spare for the point-in-time).
     */
    public static Cluster open(EsSettings settings, int connections) {
        var client = connect(settings.nodes(), settings.credentials(), trust(settings), settings.requestTimeout(), connections,
            settings.compression());
        return new Cluster(client, settings.describe(), settings.backoff());
    }

    /**
     * The low-level REST client for these settings (the same nodes, credentials, TLS trust and timeouts), for a caller
     * that sends its own JSON and keeps its own retry policy: serve's request log (bulk writes, its index template).
     */
    public static Rest5Client rest(EsSettings settings, int connections) {
        return restClient(settings.nodes(), settings.credentials(), trust(settings), settings.requestTimeout(), connections,
            settings.compression());
    }

    private static SSLContext trust(EsSettings settings) {
        return settings.caCert() != null ? TlsTrust.fromCaFile(settings.caCert())
            : settings.caFingerprint() != null ? TlsTrust.fromFingerprint(settings.caFingerprint()) : null;
    }

    static ElasticsearchClient connect(List<URI> nodes, Credentials credentials, SSLContext trust, Duration requestTimeout, int connections,
                                       boolean compression) {
        // Retries are ours alone (Cluster): they know which failures are transient for a point-in-time read, and they
        // follow --es-retries and --es-retry-wait. The client only moves on to the next node of --es-url.
        var options = new Rest5ClientOptions(RequestOptions.DEFAULT, false, RetryConfig.disabled());
        var rest = restClient(nodes, credentials, trust, requestTimeout, connections, compression);
        var transport = new Rest5ClientTransport(rest, new JacksonJsonpMapper(), options, NoopInstrumentation.INSTANCE);
        return new ElasticsearchClient(transport);
    }

    private static Rest5Client restClient(List<URI> nodes, Credentials credentials, SSLContext trust, Duration requestTimeout,
                                          int connections, boolean compression) {
        Rest5ClientBuilder builder = Rest5Client.builder(nodes.stream().map(EsClients::hostOnly).toList())
            .setRequestConfigCallback(config -> config.setResponseTimeout(Timeout.of(requestTimeout)))
            .setConnectionConfigCallback(config -> config.setConnectTimeout(Timeout.of(min(requestTimeout, LONGEST_CONNECT))))
            .setConnectionManagerCallback(pool -> pool.setMaxConnPerRoute(Math.max(10, connections)).setMaxConnTotal(Math.max(30, connections)))
            .setHttpClientConfigCallback(http -> {
                // Apache httpclient would otherwise repeat a 429 or 503 once after 1 s on its own, unlogged and uncounted.
                http.disableAutomaticRetries();
                // It also asks for gzip by default; on a local network that only spends the cluster's CPU.
                if (!compression) http.disableContentCompression();
            });
        // The client moves on to the next node of --es-url by itself; say so, or a failing node goes unnoticed.
        builder.setFailureListener(new Rest5Client.FailureListener() {
            @Override
            public void onFailure(Node node) {
                log.warn(failedNode(node.getHost().toURI(), nodes.size()));
            }
        });
        String pathPrefix = pathPrefix(nodes);
        if (pathPrefix != null) builder.setPathPrefix(pathPrefix);
        if (trust != null) builder.setSSLContext(trust);
        if (credentials.authorization() != null) {
            builder.setDefaultHeaders(new Header[] {new BasicHeader("Authorization", credentials.authorization(), true)});
        }
        return builder.build();
    }

    /** With one node there is no other to go to: the retry (Cluster) asks the same node again. */
    static String failedNode(String node, int nodes) {
        return nodes > 1
            ? "Elasticsearch node " + node + " failed; the next request goes to another node of --es-url for a while"
            : "Elasticsearch node " + node + " failed";
    }

    private static URI hostOnly(URI node) {
        return URI.create(node.getScheme() + "://" + node.getHost() + ":" + node.getPort());
    }

    private static String pathPrefix(List<URI> nodes) {
        List<String> paths = nodes.stream().map(u -> u.getRawPath() == null ? "" : u.getRawPath()).distinct().toList();
        if (paths.size() > 1) throw JobException.usage("--es-url: all nodes must have the same path prefix, got " + paths);
        return paths.getFirst().isEmpty() ? null : paths.getFirst();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
