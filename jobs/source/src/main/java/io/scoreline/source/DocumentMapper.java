package io.scoreline.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scoreline.core.records.Document;
import io.scoreline.core.records.Json;
import java.time.Instant;
import java.util.List;

/** Turns a source document into the normalized input record, or says why it cannot. */
public final class DocumentMapper {
    private final String idField;
    private final String updatedField;
    private final List<String> featureFields;

    /** @param featureFields the fields to keep as features; empty keeps every field but the id and update time */
    public DocumentMapper(String idField, String updatedField, List<String> featureFields) {
        this.idField = idField;
        this.updatedField = updatedField;
        this.featureFields = featureFields;
    }

    public String idField() {
        return idField;
    }

    public String updatedField() {
        return updatedField;
    }

    public List<String> featureFields() {
        return featureFields;
    }

    public sealed interface Result {}

    public record Mapped(Document document) implements Result {}

    public record Rejected(String reason) implements Result {}

    public Result map(ObjectNode source, String sourceId) {
        JsonNode idNode = source.get(idField);
        String id = idNode != null && (idNode.isTextual() || idNode.isIntegralNumber()) ? idNode.asText() : sourceId;
        String idProblem = idProblem(id);
        if (idProblem != null) return new Rejected(idProblem);
        Instant updated = Timestamps.parse(source.get(updatedField));
        if (updated == null) {
            return new Rejected("field '" + updatedField + "' is missing or not a time (ISO-8601 or epoch milliseconds)");
        }
        if (!Timestamps.plausible(updated)) {
            return new Rejected("field '" + updatedField + "' is " + updated + ", outside " + Timestamps.PLAUSIBLE
                + ": no fetch window will ever contain it");
        }
        ObjectNode features;
        if (featureFields.isEmpty()) {
            // The sink owns the document it is given (see DocumentSink): reusing it saves a copy per document.
            features = source;
            features.remove(idField);
            features.remove(updatedField);
        } else {
            features = Json.MAPPER.createObjectNode();
            for (String field : featureFields) {
                JsonNode value = source.get(field);
                if (value != null) features.set(field, value);
            }
        }
        return new Mapped(new Document(id, updated, features));
    }

    /** Why {@code id} cannot name a document, or null when it can. */
    public String idProblem(String id) {
        if (id != null && visibleAscii(id)) return null;  // nearly every id: one look at each character
        if (id == null || id.isBlank()) return "no id: field '" + idField + "' is missing, empty or not a string/integer";
        if (hasLoneSurrogate(id)) return "id is not valid Unicode text (a lone UTF-16 surrogate)";
        if (hasInvisibleCharacter(id)) {
            return "id holds a control character or a byte order mark (U+0000..U+001F, U+007F..U+009F, U+FEFF)";
        }
        return null;
    }

    private static boolean visibleAscii(String id) {
        int n = id.length();
        for (int i = 0; i < n; i++) {
            char c = id.charAt(i);
            if (c <= ' ' || c >= 0x7F) return false;
        }
        return n > 0;
    }

    /**
     * "nul\u0000" reads as "nul" to a C string, "\uFEFFbom" as "bom" to a person: such an id would be a distinct key that
     * a backend may merge with another, so it is refused rather than published.
     */
    private static boolean hasInvisibleCharacter(String id) {
        for (int i = 0, n = id.length(); i < n; i++) {
            char c = id.charAt(i);
            if (Character.isISOControl(c) || c == '\uFEFF') return true;
        }
        return false;
    }

    /** Such an id cannot be written as UTF-8: it would pass fetch and fail every later job that writes it. */
    private static boolean hasLoneSurrogate(String id) {
        for (int i = 0, n = id.length(); i < n; i++) {
            char c = id.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(id.charAt(i + 1))) i++;
            else if (Character.isSurrogate(c)) return true;
        }
        return false;
    }
}
