package io.scoreline.fetch;

/** Versions in increasing order of id, at most one per id: a spilled run, or what is still held in memory. */
interface VersionCursor {
    /** The current id; null once the cursor is past its last version. */
    String id();

    Version version();

    void advance();
}
