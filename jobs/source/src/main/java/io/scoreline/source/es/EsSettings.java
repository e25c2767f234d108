package io.scoreline.source.es;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How to reach Elasticsearch, checked and ready for {@link EsClients}: the nodes, who we are, which TLS certificates
 * to trust (a CA file or a CA fingerprint, or neither for the JVM's trust store), timeouts and retries.
 */
public record EsSettings(List<URI> nodes, Credentials credentials, Path caCert, String caFingerprint, Duration requestTimeout,
                         Backoff backoff, boolean compression) {
    public EsSettings {
        nodes = List.copyOf(nodes);
    }

    /** The node URLs as logs and messages may show them (never with credentials). */
    public String describe() {
        return NodeUrls.describe(nodes);
    }
}
