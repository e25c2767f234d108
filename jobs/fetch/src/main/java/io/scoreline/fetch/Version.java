package io.scoreline.fetch;

import io.scoreline.core.records.Document;
import java.time.Instant;
import java.util.Arrays;

/**
 * One version of a document, held as its serialized line, {@code bytes[offset, offset + length)}: its update time,
 * ties broken by content, so that which version is the newest never depends on the order they arrive in (or the run
 * file they were spilled to).
 */
record Version(long seconds, int nanos, byte[] bytes, int offset, int length) {
    static Version of(Document doc) {
        byte[] line = DocumentLines.of(doc);
        return of(doc.updatedAt(), line, line.length);
    }

    /** The version whose line is {@code line[0, length)}. */
    static Version of(Instant updatedAt, byte[] line, int length) {
        return new Version(updatedAt.getEpochSecond(), updatedAt.getNano(), line, 0, length);
    }

    boolean newerThan(Version other) {
        int c = seconds != other.seconds ? Long.compare(seconds, other.seconds) : Integer.compare(nanos, other.nanos);
        return c != 0 ? c > 0
            : Arrays.compare(bytes, offset, offset + length, other.bytes, other.offset, other.offset + other.length) > 0;
    }
}
