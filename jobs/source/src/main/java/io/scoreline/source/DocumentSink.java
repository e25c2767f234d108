package io.scoreline.source;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Receives raw documents; thread-safe, so sliced sources can feed it in parallel. */
public interface DocumentSink {
    /**
     * A document as the source stores it; {@code sourceId} is the source's own id when it has one, else null.
     * The sink owns the node from then on (it may change it): sources hand over a fresh node per document.
     */
    void accept(ObjectNode document, String sourceId);

    /** Something that is not a document at all (e.g. a line that is not JSON): kept with the reason, never dropped. */
    void reject(String raw, String reason);

    /**
     * A document as one line of UTF-8 JSON, {@code line[0, length)}, valid during the call only (a file's line). By
     * default parsed into a tree for {@link #accept(ObjectNode, String)}, or rejected with the parser's reason; a sink
     * that can read the bytes itself overrides this.
     */
    default void accept(byte[] line, int length) {
        JsonDocuments.parse(line, length, this);
    }
}
