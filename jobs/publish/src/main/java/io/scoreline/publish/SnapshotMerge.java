package io.scoreline.publish;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.scoreline.core.error.JobException;
import io.scoreline.core.records.Json;
import io.scoreline.core.records.NdjsonReader;
import io.scoreline.core.records.NdjsonWriter;
import io.scoreline.core.records.OutputFile;
import io.scoreline.core.records.UtcTimes;
import io.scoreline.core.run.Progress;
import io.scoreline.core.store.ObjectStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Merges a run's predictions into the previous snapshot by id, streaming both (each is sorted by id), and checks
 * every prediction of the run on the way. Where both hold an id, the newer document version wins; on a tie, the run's.
 * Lines are copied as bytes. The previous snapshot was checked when it was published and its sha256 is verified
 * here, so of its lines only the id and update time are read, not the whole record: most lines of a small cycle
 * are the snapshot's, and parsing them in full was most of publish's CPU.
 */
final class SnapshotMerge {
    /**
     * The run's lines, read whole to be checked. Jackson's own double parser gives the value Double.parseDouble gives,
     * at a fraction of its CPU on 17-digit probabilities (a quarter of a full load's merge thread).
     */
    private static final ObjectReader PREDICTIONS = Json.MAPPER.reader().with(StreamReadFeature.USE_FAST_DOUBLE_PARSER);
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

    /** The previous snapshot (null key: none) and the run's predictions: one file, or one per partition, in order. */
    record Inputs(String baseKey, String baseSha256, List<OutputFile> predictions) {}

    OutputFile write(ObjectStore store, Inputs in, String outputKey) {
        return NdjsonWriter.write(store, outputKey, out -> {
            List<NdjsonReader> runs = new ArrayList<>();
            try (NdjsonReader base = in.baseKey() == null ? null : new NdjsonReader(store, in.baseKey())) {
                for (OutputFile part : in.predictions()) runs.add(new NdjsonReader(store, part.key()));
                List<Cursor> cursors = runs.stream().map(reader -> new Cursor(reader, true)).toList();
                Lines r = cursors.size() == 1 ? cursors.getFirst() : new PartLines(cursors);
                Cursor b = new Cursor(base, false);
                while (r.id() != null || b.id != null) {
                    int order = r.id() == null ? 1 : b.id == null ? -1 : r.id().compareTo(b.id);
                    if (order < 0) {
                        r.copyTo(out);
                        added++;
                        r.advance();
                    } else if (order > 0) {
                        b.copyTo(out);
                        baseCount++;
                        b.advance();
                    } else {
                        Instant runTime = r.updatedAt(), baseTime = b.updatedAt();
                        boolean baseIsNewer = baseTime != null && runTime != null && baseTime.isAfter(runTime);
                        (baseIsNewer ? b : r).copyTo(out);
                        if (baseIsNewer) keptNewerBase++;
                        else updated++;
                        baseCount++;
                        r.advance();
                        b.advance();
                    }
                }
                for (int i = 0; i < runs.size(); i++) runs.get(i).verify(in.predictions().get(i).sha256());
                if (base != null) base.verify(in.baseSha256());
            } finally {
                runs.forEach(NdjsonReader::close);
            }
        });
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
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

    /**
     * Reads one sorted file (or nothing, for a null reader): the id and update time of each line, and for the run's
     * lines the whole record, which is checked. The line's bytes stay in the reader until the next advance.
     */
    /** Lines sorted by id: the current line's id (null at the end) and update time, its bytes, and the next line. */
    interface Lines {
        String id();

        Instant updatedAt();

        void copyTo(NdjsonWriter out);

        void advance();
    }

    private final class Cursor implements Lines {
        private static final byte[] ID_FIELD = ascii("{\"id\":\""), UPDATED_FIELD = ascii("\",\"updated_at\":"), NULL = ascii("null");
        private final NdjsonReader reader;
        private final boolean checked;
        String id;
        private String updated;

        Cursor(NdjsonReader reader, boolean checked) {
            this.reader = reader;
            this.checked = checked;
            advance();
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public void copyTo(NdjsonWriter out) {
            out.writeRaw(reader.bytes(), reader.length());
        }

        @Override
        public void advance() {
            String previous = id;
            if (reader == null || !reader.advance()) {
                id = null;
                return;
            }
            progress.add(1);
            try {
                if (checked) {
                    JsonNode record = PREDICTIONS.readTree(reader.bytes(), 0, reader.length());
                    check.check(record, where());
                    id = record.path("id").asText(null);
                    JsonNode u = record.get("updated_at");
                    updated = u == null || u.isNull() ? null : u.asText();
                } else if (!plainIdAndUpdatedAt()) {
                    String[] fields = idAndUpdatedAt();
                    id = fields[0];
                    updated = fields[1];
                }
            } catch (IOException e) {
                throw JobException.refused(where() + " is not JSON: " + Json.describe(e));
            }
            if (id == null) throw JobException.refused(where() + " has no id");
            if (previous != null && previous.compareTo(id) >= 0) {
                throw JobException.refused(where() + ": ids are not strictly increasing ('" + previous + "' then '" + id
                    + "'); the file was not written by Scoreline or is corrupt");
            }
            if (checked) updatedAt();  // a run's line is checked whole; the snapshot's time is read when an id is in both
        }

        /** The line's update time (null if it has none). */
        @Override
        public Instant updatedAt() {
            try {
                return updated == null ? null : UtcTimes.parse(updated);
            } catch (DateTimeParseException e) {
                throw JobException.refused(where() + ": updated_at " + Json.MAPPER.getNodeFactory().textNode(updated)
                    + " for id '" + id + "' is not an ISO-8601 instant");
            }
        }

        /**
         * The line's id and updated_at straight from its bytes when it starts as Scoreline writes it,
         * {@code {"id":"…","updated_at":"…"} (or null), both strings printable ASCII without escapes; false for any
         * other line, which the parser reads. A parser per line was most of the merge's own CPU on a small cycle.
         */
        private boolean plainIdAndUpdatedAt() {
            byte[] b = reader.bytes();
            int length = reader.length();
            int idEnd = startsWith(b, length, 0, ID_FIELD) ? plainString(b, length, ID_FIELD.length) : -1;
            if (idEnd < 0 || !startsWith(b, length, idEnd, UPDATED_FIELD)) return false;  // it starts with the id's closing quote
            int at = idEnd + UPDATED_FIELD.length;
            String time;
            if (startsWith(b, length, at, NULL) && at + NULL.length < length && (b[at + NULL.length] == ',' || b[at + NULL.length] == '}')) {
                time = null;
            } else if (at < length && b[at] == '"') {
                int end = plainString(b, length, at + 1);
                if (end < 0) return false;
                time = new String(b, at + 1, end - at - 1, StandardCharsets.ISO_8859_1);
            } else {
                return false;
            }
            id = new String(b, ID_FIELD.length, idEnd - ID_FIELD.length, StandardCharsets.ISO_8859_1);
            updated = time;
            return true;
        }

        /** The line's top-level id and updated_at, reading no further than both (they come first in Scoreline's lines). */
        private String[] idAndUpdatedAt() throws IOException {
            String[] found = new String[2];
            try (JsonParser p = Json.MAPPER.getFactory().createParser(reader.bytes(), 0, reader.length())) {
                if (p.nextToken() != JsonToken.START_OBJECT) throw JobException.refused(where() + " is not a JSON object");
                boolean haveId = false, haveUpdated = false;
                while (!(haveId && haveUpdated) && p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken value = p.nextToken();
                    if (name.equals("id") && value == JsonToken.VALUE_STRING) {
                        found[0] = p.getText();
                        haveId = true;
                    } else if (name.equals("updated_at")) {
                        found[1] = value == JsonToken.VALUE_NULL ? null : p.getText();
                        haveUpdated = true;
                    } else {
                        p.skipChildren();
                    }
                }
            }
            return found;
        }

        private static boolean startsWith(byte[] b, int length, int at, byte[] prefix) {
            return at + prefix.length <= length && Arrays.equals(b, at, at + prefix.length, prefix, 0, prefix.length);
        }

        /** Where the string starting at {@code from} closes, if its bytes up to there are printable ASCII and no escape; else -1. */
        private static int plainString(byte[] b, int length, int from) {
            for (int i = from; i < length; i++) {
                byte c = b[i];
                if (c == '"') return i;
                if (c < 0x20 || c == '\\') return -1;  // a control character, an escape, or a byte of a multi-byte character
            }
            return -1;
        }

        private String where() {
            return "line " + reader.lineNumber() + " of the " + (checked ? "run's predictions" : "previous snapshot");
        }
    }
}
