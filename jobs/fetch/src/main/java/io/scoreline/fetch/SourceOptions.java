package io.scoreline.fetch;

import io.scoreline.core.error.JobException;
import io.scoreline.core.store.LocalPaths;
import io.scoreline.fetch.source.FileSource;
import io.scoreline.source.DocumentFields;
import io.scoreline.source.DocumentSource;
import io.scoreline.source.es.EsOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Which source fetch reads: Elasticsearch when --es-url is given (fetch reads it instead of --source), else NDJSON files. */
final class SourceOptions {
    @Option(names = "--source", paramLabel = "URI",
            description = "Without --es-url: an NDJSON file or a directory of them (path or file:///…).")
    String source;

    @Mixin EsOptions elasticsearch;
    @Mixin EsReadOptions read;

    DocumentSource open(DocumentFields fields) {
        if (elasticsearch.enabled()) return read.open(elasticsearch.settings(), fields);
        if (source == null) throw JobException.usage("no source: give --es-url and --index (Elasticsearch) or --source (NDJSON files)");
        return new FileSource(LocalPaths.parse(source, "--source", "an NDJSON file or directory (path or file:///…)"));
    }
}
