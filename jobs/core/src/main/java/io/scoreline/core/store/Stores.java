package io.scoreline.core.store;

import io.scoreline.core.cli.JobException;
import java.net.URI;
import java.nio.file.Path;

/** Turns a --store URI into a store. */
public final class Stores {
    private Stores() {}

    public static ObjectStore open(String uri) {
        if (uri == null || uri.isBlank()) throw JobException.usage("--store is empty: give file:///dir, a path or s3://bucket/prefix");
        if (uri.startsWith("s3://")) {
            throw JobException.usage("s3:// stores are not available in this build yet; use file:///dir or a path");
        }
        if (uri.startsWith("file:")) {
            try {
                URI parsed = URI.create(uri);
                return new FileStore(parsed.getPath() != null && uri.startsWith("file:/") ? Path.of(parsed) : Path.of(uri.substring(5)));
            } catch (IllegalArgumentException e) {
                throw JobException.usage("--store '" + uri + "' is not a valid file URI: " + e.getMessage());
            }
        }
        if (uri.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            throw JobException.usage("--store '" + uri + "': unknown scheme; use file:///dir, a path or s3://bucket/prefix");
        }
        return new FileStore(Path.of(uri));
    }
}
