package io.scoreline.core.store;

/** S3's conditional writes: If-None-Match: * (create only) or If-Match: etag (replace what was read). */
public sealed interface Precondition {
    Precondition NONE = new None();
    Precondition ABSENT = new Absent();

    static Precondition matching(String etag) {
        return etag == null ? ABSENT : new Matching(etag);
    }

    record None() implements Precondition {}

    record Absent() implements Precondition {}

    record Matching(String etag) implements Precondition {}
}
