package io.scoreline.fetch;

import io.scoreline.core.records.Document;
import io.scoreline.core.records.NdjsonWriter;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Keeps only the newest version of each id (overlapping windows and sliced reads both deliver duplicates), holding
 * each document as its serialized UTF-8 line to keep memory near the output size. Slices offer concurrently: the
 * serializing happens outside any lock, and only the map update is per key.
 */
final class NewestPerId {
    /** The version of a document: its update time, ties broken by content so that the result never depends on arrival order. */
    private record Entry(long seconds, int nanos, byte[] line) {
        boolean newerThan(Entry other) {
            int c = seconds != other.seconds ? Long.compare(seconds, other.seconds) : Integer.compare(nanos, other.nanos);
            return c != 0 ? c > 0 : Arrays.compare(line, other.line) > 0;
        }
    }

    private final Map<String, Entry> newest = new ConcurrentHashMap<>(1 << 16);
    private final LongAdder duplicates = new LongAdder();

    void offer(Document doc) {
        Instant at = doc.updatedAt();
        Entry entry = new Entry(at.getEpochSecond(), at.getNano(), DocumentLines.of(doc));
        newest.merge(doc.id(), entry, (current, offered) -> {
            duplicates.increment();
            return offered.newerThan(current) ? offered : current;
        });
    }

    long duplicates() {
        return duplicates.sum();
    }

    int size() {
        return newest.size();
    }

    /** Writes the documents sorted by id, the order every later step relies on for streaming merges; call after the last offer. */
    void writeSorted(NdjsonWriter writer) {
        String[] ids = newest.keySet().toArray(String[]::new);
        Arrays.parallelSort(ids);  // a million ids sort in about half the time on two cores
        for (String id : ids) writer.writeRaw(newest.get(id).line());
    }
}
