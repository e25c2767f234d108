package io.scoreline.source.es;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;

/**
 * One fetch.jar for Elasticsearch 8.x and 9.x. The 9.x client sends {@code compatible-with=9} media types, which an
 * 8.x server refuses with 400 {@code media_type_header_exception}. The first request (the field-mapping check) finds
 * out: on that refusal {@link Cluster} switches to {@code compatible-with=8}, which 8.x servers speak natively (and 9.x
 * servers too, through REST API compatibility), and repeats the request. No extra request, no extra privilege.
 */
final class ServerDialect {
    static final String COMPATIBLE_WITH_8 = "application/vnd.elasticsearch+json; compatible-with=8";

    private ServerDialect() {}

    static boolean isOlderServer(Exception e) {
        return e instanceof ElasticsearchException es && es.status() == 400 && "media_type_header_exception".equals(es.error().type());
    }

    static ElasticsearchClient compatibleWith8(ElasticsearchClient client) {
        var options = client._transportOptions().toBuilder()
            .setHeader("Accept", COMPATIBLE_WITH_8)
            .setHeader("Content-Type", COMPATIBLE_WITH_8)
            .build();
        return client.withTransportOptions(options);
    }
}
