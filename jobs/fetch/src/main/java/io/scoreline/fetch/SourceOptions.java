package io.scoreline.fetch;

import io.scoreline.core.error.JobException;
import io.scoreline.fetch.source.DocumentFields;
import io.scoreline.fetch.source.DocumentSource;
import io.scoreline.fetch.source.FileSource;
import io.scoreline.fetch.source.es.EsOptions;
import io.scoreline.core.store.LocalPaths;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Which source fetch reads: Elasticsearch when --es-url is given, else NDJSON files. */
final class SourceOptions {
    @Option(names = "--source", paramLabel = "URI",
            description = "Without --es-url: an NDJSON file or a directory of them (path or file:///…).")
    String source;

    @Mixin EsOptions elasticsearch;

    DocumentSource open(DocumentFields fields) {
        if (elasticsearch.enabled()) return elasticsearch.open(fields);
        if (source == null) throw JobException.usage("no source: give --es-url and --index (Elasticsearch) or --source (NDJSON files)");
        return new FileSource(LocalPaths.parse(source, "--source", "an NDJSON file or directory (path or file:///…)"));
    }
}
