package io.scoreline.fetch;

import io.scoreline.core.error.JobException;
import io.scoreline.source.DocumentFields;
import io.scoreline.source.es.ReadSpec;
import io.scoreline.source.es.UserQuery;
import picocli.CommandLine.Option;

/** What fetch reads from Elasticsearch and how (the connection itself is the shared EsOptions). */
final class EsReadOptions {
    @Option(names = "--index", paramLabel = "NAME", description = "Elasticsearch index, alias or pattern (e.g. items, items-*).")
    private String index;

    @Option(names = "--query", paramLabel = "JSON|@FILE",
            description = "Query DSL that restricts the pool, inline ('{\"term\":{\"active\":true}}') or @file.json. Default: all.")
    private String query;

    @Option(names = "--page-size", defaultValue = "5000", description = "Documents per search_after page. Default: ${DEFAULT-VALUE}.")
    private int pageSize;

    @Option(names = "--slices", defaultValue = "1", description = "Point-in-time slices read in parallel. Default: ${DEFAULT-VALUE}.")
    private int slices;

    /** Point-in-time slices each fetch reads in parallel (of its partition, in a partitioned run). */
    int slices() {
        return slices;
    }

    ReadSpec spec(DocumentFields fields) {
        if (index == null || index.isBlank()) throw JobException.usage("--index is required with --es-url: give an index, alias or pattern");
        if (pageSize < 1 || pageSize > 10_000) throw JobException.usage("--page-size must be 1..10000 (Elasticsearch's max_result_window), got " + pageSize);
        if (slices < 1 || slices > 64) throw JobException.usage("--slices must be 1..64, got " + slices);
        return new ReadSpec(index, UserQuery.parse(query), fields, pageSize, slices);
    }
}
