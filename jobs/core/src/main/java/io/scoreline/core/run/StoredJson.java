package io.scoreline.core.run;

import io.scoreline.core.records.Json;
import io.scoreline.core.store.ObjectStore;
import io.scoreline.core.store.Precondition;
import java.util.Optional;

/** Small JSON documents in the store (manifests, state, aliases), with the version tag for conditional writes. */
public final class StoredJson {
    private static final long MAX_BYTES = 16L << 20;

    private StoredJson() {}

    public record Read<T>(T value, String etag) {}

    public static <T> Optional<Read<T>> read(ObjectStore store, String key, Class<T> type) {
        return store.read(key, MAX_BYTES)
            .map(v -> new Read<>(Json.parse(v.bytes(), type, "'" + key + "' in " + store.describe()), v.etag()));
    }

    public static <T> Optional<T> value(ObjectStore store, String key, Class<T> type) {
        return read(store, key, type).map(Read::value);
    }

    public static void write(ObjectStore store, String key, Object value) {
        store.put(key, Json.bytes(value), Precondition.NONE);
    }

    /** Replaces the document only if nobody changed it since {@code etag} was read (null: only if absent). */
    public static void replace(ObjectStore store, String key, Object value, String etag) {
        store.put(key, Json.bytes(value), Precondition.matching(etag));
    }
}
