package io.scoreline.core.store;

import io.scoreline.core.cli.JobException;
import java.net.URI;
import java.nio.file.Path;

/** Turns a --store URI into a store. */
public final class Stores {
    private Stores() {}

    /** A store with the default S3 settings (region, endpoint and credentials from the AWS SDK's chains). */
    public static ObjectStore open(String uri) {
        return open(uri, S3Settings.DEFAULTS);
    }

    public static ObjectStore open(String uri, S3Settings s3) {
        if (uri == null || uri.isBlank()) throw JobException.usage("--store is empty: give file:///dir, a path or s3://bucket/prefix");
        if (uri.startsWith("s3://")) return S3Store.open(uri, s3);
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
