package io.scoreline.fetch;

import io.scoreline.core.records.Document;
import io.scoreline.core.records.Json;
import io.scoreline.core.records.NdjsonWriter;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Keeps only the newest version of each id (overlapping windows and sliced reads both deliver duplicates),
 * holding each document as its serialized line to keep memory near the output size.
 */
final class NewestPerId {
    private record Entry(Instant updatedAt, String line) {}

    private static final ObjectWriter WRITER = Json.MAPPER.writerFor(Document.class);

    private final Map<String, Entry> newest = new HashMap<>();
    private long duplicates;

    synchronized void offer(Document doc) {
        Entry current = newest.get(doc.id());
        if (current != null) {
            duplicates++;
            if (current.updatedAt().isAfter(doc.updatedAt())) return;
        }
        newest.put(doc.id(), new Entry(doc.updatedAt(), serialize(doc)));
    }

    synchronized long duplicates() {
        return duplicates;
    }

    synchronized int size() {
        return newest.size();
    }

    /** Writes the documents sorted by id, the order every later step relies on for streaming merges. */
    synchronized void writeSorted(NdjsonWriter writer) {
        String[] ids = newest.keySet().toArray(String[]::new);
        Arrays.parallelSort(ids);  // a million ids sort in about half the time on two cores
        for (String id : ids) writer.writeRaw(newest.get(id).line());
    }

    private static String serialize(Document doc) {
        try {
            return WRITER.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
