package io.scoreline.fetch.source.es;

import io.scoreline.core.cli.Converters;
import io.scoreline.core.error.JobException;
import io.scoreline.fetch.source.DocumentFields;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The Elasticsearch source's options; {@code --es-url} switches fetch from the file source to Elasticsearch. */
public final class EsOptions {
    @Option(names = "--es-url", split = ",", paramLabel = "URL",
            description = "Elasticsearch node URL(s), comma-separated (Elastic Cloud: https://…:443). When set, fetch reads"
                + " Elasticsearch instead of --source.")
    private List<String> urls = List.of();

    @Option(names = "--index", paramLabel = "NAME", description = "Elasticsearch index, alias or pattern (e.g. items, items-*).")
    private String index;

    @Option(names = "--query", paramLabel = "JSON|@FILE",
            description = "Query DSL that restricts the pool, inline ('{\"term\":{\"active\":true}}') or @file.json. Default: all.")
    private String query;

    @Option(names = "--page-size", defaultValue = "5000", description = "Documents per search_after page. Default: ${DEFAULT-VALUE}.")
    private int pageSize;

    @Option(names = "--slices", defaultValue = "1", description = "Point-in-time slices read in parallel. Default: ${DEFAULT-VALUE}.")
    private int slices;

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
                + " (e.g. Elastic Cloud from another provider); costs CPU on the cluster and in fetch, so off by default.")
    private boolean compression;

    @Mixin private EsSecurityOptions security;

    public boolean enabled() {
        return !urls.isEmpty();
    }

    public EsSource open(DocumentFields fields) {
        if (index == null || index.isBlank()) throw JobException.usage("--index is required with --es-url: give an index, alias or pattern");
        if (pageSize < 1 || pageSize > 10_000) throw JobException.usage("--page-size must be 1..10000 (Elasticsearch's max_result_window), got " + pageSize);
        if (slices < 1 || slices > 64) throw JobException.usage("--slices must be 1..64, got " + slices);
        if (retries < 0) throw JobException.usage("--es-retries must be 0 or more, got " + retries);
        List<URI> nodes = NodeUrls.parse(urls);
        var read = new ReadSpec(index, UserQuery.parse(query), fields, pageSize, slices);
        Credentials credentials = security.credentials();
        var cluster = new Cluster(EsClients.connect(nodes, credentials, security.trust(nodes), requestTimeout, slices, compression),
            NodeUrls.describe(nodes), new Backoff(retries, retryWait));
        return new EsSource(cluster, read);
    }
}
