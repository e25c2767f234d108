package io.scoreline.predict;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scoreline.core.records.Document;
import io.scoreline.core.records.Json;
import io.scoreline.model.ModelSpec;
import io.scoreline.model.PredictionRecord;
import io.scoreline.model.Score;
import java.time.Instant;

/**
 * The general path for one line: the whole document parsed into a tree, the prediction built as a record and
 * serialized by the mapper. It decides every line the streaming path does not take, rejections included, and is
 * the reference that path is held to.
 */
final class WholeTree {
    private WholeTree() {}

    /** Thrown with the rejection record when a line is not a document that can be scored. */
    static final class Rejected extends Exception {
        Rejected(String record) {
            super(record, null, false, false);
        }

        String record() {
            return getMessage();
        }
    }

    static Document parse(String line) throws Rejected {
        Document doc;
        try {
            doc = Json.MAPPER.readValue(line, Document.class);
        } catch (JsonProcessingException e) {
            throw new Rejected(reject(null, line, "not a valid input record: " + e.getOriginalMessage()));
        }
        if (doc.id() == null) throw new Rejected(reject(null, line, "input record without an id"));
        return doc;
    }

    static String prediction(String id, Instant updatedAt, Score score, ModelSpec spec) {
        try {
            return Json.MAPPER.writeValueAsString(PredictionRecord.of(id, updatedAt, score, spec));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a prediction", e);
        }
    }

    /** The rejection record: the id when known, the reason, and the document as JSON (or as text if it is not). */
    static String reject(String id, String line, String reason) {
        ObjectNode record = Json.MAPPER.createObjectNode();
        if (id != null) record.put("id", id);
        record.put("job", "predict").put("reason", reason);
        try {
            record.set("document", Json.MAPPER.readTree(line));
        } catch (JsonProcessingException e) {
            record.put("document", line);
        }
        return record.toString();
    }
}
