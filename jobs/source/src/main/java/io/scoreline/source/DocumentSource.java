package io.scoreline.source;

import io.scoreline.core.run.Partition;
import io.scoreline.core.run.Window;

/**
 * Where documents come from. A source may push the window down (Elasticsearch does) or return more (a file does):
 * the code above it re-checks the window, so both give the same result.
 */
public interface DocumentSource extends AutoCloseable {

    /** A readable name without credentials, for logs and the manifest. */
    String describe();

    /** Sends every document updated inside {@code window} (and possibly more) to the sink; may call it from several threads. */
    void read(Window window, DocumentSink sink);

    /**
     * For a partitioned run: opens the view of the source that every partition reads (Elasticsearch: one
     * point-in-time) and returns its id, or null when the source has none (files are read as they are).
     */
    default String openShared() {
        return null;
    }

    /** Closes a shared view this job opened but that no partition will read (another partition planned the run first). */
    default void closeShared(String id) {}

    /** Whether {@link #read(Window, Partition, String, int, DocumentSink)} returns only the partition's documents. */
    default boolean readsPartitions() {
        return false;
    }

    /**
     * Sends partition {@code part}'s documents of the shared view (and possibly more: a source that does not
     * {@link #readsPartitions() read partitions} sends all, and the caller keeps its partition's ids).
     */
    default void read(Window window, Partition part, String shared, int slicesPerPart, DocumentSink sink) {
        read(window, sink);
    }

    @Override
    default void close() {}
}
