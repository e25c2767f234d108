package io.scoreline.fetch;

import io.scoreline.core.records.Document;
import java.time.Instant;
import java.util.Arrays;

/**
 * One version of a document, held as its serialized line: its update time, ties broken by content, so that which
 * version is the newest never depends on the order they arrive in (or the run file they were spilled to).
 */
record Version(long seconds, int nanos, byte[] line) {
    static Version of(Document doc) {
        return of(doc.updatedAt(), DocumentLines.of(doc));
    }

    static Version of(Instant updatedAt, byte[] line) {
        return new Version(updatedAt.getEpochSecond(), updatedAt.getNano(), line);
    }

    boolean newerThan(Version other) {
        int c = seconds != other.seconds ? Long.compare(seconds, other.seconds) : Integer.compare(nanos, other.nanos);
        return c != 0 ? c > 0 : Arrays.compare(line, other.line) > 0;
    }
}
