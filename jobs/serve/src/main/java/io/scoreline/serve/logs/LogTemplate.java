package io.scoreline.serve.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import co.elastic.clients.transport.rest5_client.low_level.Request;
import co.elastic.clients.transport.rest5_client.low_level.ResponseException;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import io.scoreline.core.records.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The request log's index template: a data stream named by --log-data-stream, mapped for Kibana (dates, keywords,
 * numbers: request-log-mappings.json). Installing it also updates the mapping of a data stream that already exists,
 * so fields added by a newer serve.jar are mapped at once (not only after the next rollover).
 */
public final class LogTemplate {
    public static final String MAPPINGS = "request-log-mappings.json";
    static final int PRIORITY = 200;  // above Elasticsearch's built-in templates (100) should a name ever match theirs

    private LogTemplate() {}

    /** The mappings the data stream gets (also read by the Kibana objects' test). */
    public static ObjectNode mappings() {
        try (InputStream in = LogTemplate.class.getResourceAsStream(MAPPINGS)) {
            if (in == null) throw new IllegalStateException(MAPPINGS + " is missing from the jar");
            return (ObjectNode) Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode template(String dataStream) {
        ObjectNode t = Json.MAPPER.createObjectNode();
        t.putArray("index_patterns").add(dataStream);
        t.putObject("data_stream");
        t.put("priority", PRIORITY);
        t.putObject("template").set("mappings", mappings());
        t.putObject("_meta").put("description", "Scoreline serve request log (docs/serve.md)");
        return t;
    }

    /** Puts the template, then the mapping of the data stream if it exists; throws on any failure (the caller retries). */
    static void install(Rest5Client rest, String dataStream) throws IOException {
        var put = new Request("PUT", "/_index_template/" + dataStream);
        put.setJsonEntity(template(dataStream).toString());
        rest.performRequest(put);
        var mapping = new Request("PUT", "/" + dataStream + "/_mapping");
        JsonNode mappings = mappings();
        mapping.setJsonEntity(Json.MAPPER.createObjectNode().set("properties", mappings.get("properties")).toString());
        try {
            rest.performRequest(mapping);
        } catch (ResponseException e) {
            int status = e.getResponse().getStatusCode();
            if (status == 403) return;  // may not change a mapping: new fields get mapped at the data stream's next rollover
            if (status != 404) throw e;  // 404: the data stream is created with the first document
        }
    }
}
