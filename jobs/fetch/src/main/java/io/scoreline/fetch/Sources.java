package io.scoreline.fetch;

import io.scoreline.fetch.source.FileSource;
import io.scoreline.source.DocumentFields;
import io.scoreline.source.DocumentSource;
import io.scoreline.source.es.EsClients;
import io.scoreline.source.es.EsSource;
import io.scoreline.source.es.ReadSpec;

/** Builds the source fetch reads from its settings: Elasticsearch when --es-url is given, else NDJSON files. */
final class Sources {
    private Sources() {}

    static DocumentSource open(SourceOptions options, DocumentFields fields) {
        if (!options.elasticsearch.enabled()) return new FileSource(options.sourcePath());
        ReadSpec read = options.read.spec(fields);
        // one connection per slice and a spare for opening/closing the point-in-time
        return new EsSource(EsClients.open(options.elasticsearch.settings(), read.slices() + 2), read);
    }
}
