package io.scoreline.publish;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.scoreline.core.error.JobException;
import io.scoreline.core.records.Json;
import io.scoreline.core.records.NdjsonReader;
import io.scoreline.core.records.NdjsonWriter;
import io.scoreline.core.records.OutputFile;
import io.scoreline.core.run.Progress;
import io.scoreline.core.store.ObjectStore;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Merges a run's predictions into the previous snapshot by id, streaming both (each is sorted by id), and checks
 * every prediction on the way. Where both hold an id, the newer document version wins; on a tie, the run's.
 */
final class SnapshotMerge {
    private final PredictionCheck check;
    private final Progress progress;
    private long baseCount;
    private long added;
    private long updated;
    private long keptNewerBase;

    SnapshotMerge(PredictionCheck check, Progress progress) {
        this.check = check;
        this.progress = progress;
    }

    record Inputs(String baseKey, String baseSha256, String predictionsKey, String predictionsSha256) {}

    OutputFile write(ObjectStore store, Inputs in, String outputKey) {
        return NdjsonWriter.write(store, outputKey, out -> {
            try (NdjsonReader run = new NdjsonReader(store, in.predictionsKey());
                 NdjsonReader base = in.baseKey() == null ? null : new NdjsonReader(store, in.baseKey())) {
                Cursor r = new Cursor(run, true);
                Cursor b = new Cursor(base, false);
                while (r.line != null || b.line != null) {
                    int order = r.line == null ? 1 : b.line == null ? -1 : r.id.compareTo(b.id);
                    if (order < 0) {
                        out.writeRaw(r.line);
                        added++;
                        r.advance();
                    } else if (order > 0) {
                        out.writeRaw(b.line);
                        baseCount++;
                        b.advance();
                    } else {
                        boolean baseIsNewer = b.updatedAt != null && r.updatedAt != null && b.updatedAt.isAfter(r.updatedAt);
                        out.writeRaw(baseIsNewer ? b.line : r.line);
                        if (baseIsNewer) keptNewerBase++;
                        else updated++;
                        baseCount++;
                        r.advance();
                        b.advance();
                    }
                }
                run.verify(in.predictionsSha256());
                if (base != null) base.verify(in.baseSha256());
            }
        });
    }

    long keptNewerBase() {
        return keptNewerBase;
    }

    long baseCount() {
        return baseCount;
    }

    long added() {
        return added;
    }

    long updated() {
        return updated;
    }

    /** Reads one sorted file (or nothing, for a null reader), parsing the id and update time of each line. */
    private final class Cursor {
        private final NdjsonReader reader;
        private final boolean checked;
        String line;
        String id;
        Instant updatedAt;

        Cursor(NdjsonReader reader, boolean checked) {
            this.reader = reader;
            this.checked = checked;
            advance();
        }

        void advance() {
            String previous = id;
            line = reader == null ? null : reader.next();
            if (line == null) {
                id = null;
                return;
            }
            progress.add(1);
            JsonNode record;
            try {
                record = Json.MAPPER.readTree(line);
            } catch (JsonProcessingException e) {
                throw JobException.refused(where() + " is not JSON: " + e.getOriginalMessage());
            }
            if (checked) check.check(record, where());
            id = record.path("id").asText(null);
            if (id == null) throw JobException.refused(where() + " has no id");
            if (previous != null && previous.compareTo(id) >= 0) {
                throw JobException.refused(where() + ": ids are not strictly increasing ('" + previous + "' then '" + id
                    + "'); the file was not written by Scoreline or is corrupt");
            }
            JsonNode u = record.get("updated_at");
            try {
                updatedAt = u == null || u.isNull() ? null : Instant.parse(u.asText());
            } catch (DateTimeParseException e) {
                throw JobException.refused(where() + ": updated_at " + u + " for id '" + id + "' is not an ISO-8601 instant");
            }
        }

        private String where() {
            return "line " + reader.lineNumber() + " of the " + (checked ? "run's predictions" : "previous snapshot");
        }
    }
}
