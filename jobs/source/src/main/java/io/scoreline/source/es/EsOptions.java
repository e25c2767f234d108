package io.scoreline.source.es;

import io.scoreline.core.cli.Converters;
import io.scoreline.core.error.JobException;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The Elasticsearch connection options every command that reads Elasticsearch shares (fetch, serve). They describe
 * settings only: {@link #settings()} checks them, {@link EsClients} builds the client.
 */
public final class EsOptions {
    @Option(names = "--es-url", split = ",", paramLabel = "URL",
            description = "Elasticsearch node URL(s), comma-separated (Elastic Cloud: https://…:443).")
    private List<String> urls = List.of();

    @Option(names = "--request-timeout", paramLabel = "DURATION", defaultValue = "60s", converter = Converters.DurationConverter.class,
            description = "Longest wait for one Elasticsearch response. Default: ${DEFAULT-VALUE}.")
    private Duration requestTimeout;

    @Option(names = "--es-retries", defaultValue = "5",
            description = "Retries of a request that failed transiently (429, 502-504, timeout, connection lost). Default: ${DEFAULT-VALUE}.")
    private int retries;

    @Option(names = "--es-retry-wait", paramLabel = "DURATION", defaultValue = "500ms", converter = Converters.DurationConverter.class,
            description = "Wait before the first retry; doubles each time, up to 30s. Default: ${DEFAULT-VALUE}.")
    private Duration retryWait;

    @Option(names = "--es-compression",
            description = "Ask Elasticsearch for gzip-compressed responses: about 5x less traffic, worth it across the internet"
                + " (e.g. Elastic Cloud from another provider); costs CPU on the cluster and here, so off by default.")
    private boolean compression;

    @Mixin private EsSecurityOptions security;

    public boolean enabled() {
        return !urls.isEmpty();
    }

    /** The checked settings; a usage error (exit 2) names the option at fault. */
    public EsSettings settings() {
        if (retries < 0) throw JobException.usage("--es-retries must be 0 or more, got " + retries);
        var nodes = NodeUrls.parse(urls);
        if (nodes.isEmpty()) throw JobException.usage("--es-url is required: give the Elasticsearch node URL(s)");
        security.checkTls(nodes);
        return new EsSettings(nodes, security.credentials(), security.caCert(), security.caFingerprint(), requestTimeout,
            new Backoff(retries, retryWait), compression);
    }
}
