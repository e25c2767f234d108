package io.scoreline.source;

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

    @Override
    default void close() {}
}
