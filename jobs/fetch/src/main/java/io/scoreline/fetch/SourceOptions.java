package io.scoreline.fetch;

import io.scoreline.core.cli.JobException;
import io.scoreline.fetch.source.DocumentFields;
import io.scoreline.fetch.source.DocumentSource;
import io.scoreline.fetch.source.FileSource;
import io.scoreline.fetch.source.es.EsOptions;
import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Which source fetch reads: Elasticsearch when --es-url is given, else NDJSON files. */
final class SourceOptions {
    @Option(names = "--source", paramLabel = "URI", defaultValue = "sample-data/documents.ndjson",
            description = "Documents: an NDJSON file or directory (path or file:///…). Default: ${DEFAULT-VALUE}.")
    String source;

    @Mixin EsOptions elasticsearch;

    DocumentSource open(DocumentFields fields) {
        if (elasticsearch.enabled()) return elasticsearch.open(fields);
        if (source.startsWith("file:/")) return new FileSource(Path.of(URI.create(source)));
        if (source.startsWith("file:")) return new FileSource(Path.of(source.substring(5)));
        if (source.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            throw JobException.usage("--source '" + source + "': unknown scheme; give an NDJSON file or directory");
        }
        return new FileSource(Path.of(source));
    }
}
