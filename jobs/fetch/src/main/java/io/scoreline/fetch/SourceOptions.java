package io.scoreline.fetch;

import io.scoreline.core.error.JobException;
import io.scoreline.core.store.LocalPaths;
import io.scoreline.source.es.EsOptions;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Which source fetch reads: Elasticsearch when --es-url is given (fetch reads it instead of --source), else NDJSON files. */
final class SourceOptions {
    @Option(names = "--source", paramLabel = "URI",
            description = "Without --es-url: an NDJSON file or a directory of them (path or file:///…).")
    String source;

    @Mixin EsOptions elasticsearch;
    @Mixin EsReadOptions read;

    /** The NDJSON file or directory to read when no Elasticsearch is given. */
    Path sourcePath() {
        if (source == null) throw JobException.usage("no source: give --es-url and --index (Elasticsearch) or --source (NDJSON files)");
        return LocalPaths.parse(source, "--source", "an NDJSON file or directory (path or file:///…)");
    }
}
