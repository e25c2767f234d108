package io.scoreline.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scoreline.core.records.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Source documents given as UTF-8 JSON text: parsed with the files' limits, or rejected with the parser's reason. */
public final class JsonDocuments {
    private JsonDocuments() {}

    /** Hands {@code line[0, length)} to the sink as a tree, or rejects it. */
    public static void parse(byte[] line, int length, DocumentSink sink) {
        try {
            JsonNode node = Json.DOCUMENTS.readTree(line, 0, length);
            if (node instanceof ObjectNode doc) sink.accept(doc, null);
            else sink.reject(text(line, length), "not a JSON object");
        } catch (StreamConstraintsException e) {
            sink.reject(text(line, length), "over a limit: " + Json.describe(e));
        } catch (JsonProcessingException e) {
            sink.reject(text(line, length), "not valid JSON: " + Json.describe(e));
        } catch (IOException e) {
            sink.reject(text(line, length), "not valid JSON: " + e.getMessage());
        }
    }

    /** The line as text for a rejection: invalid UTF-8 shows as U+FFFD there, the document itself was refused. */
    private static String text(byte[] line, int length) {
        return new String(line, 0, length, StandardCharsets.UTF_8);
    }
}
