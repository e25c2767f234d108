package io.scoreline.core.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;

/**
 * A flat key space with S3's guarantees and no more: an object becomes visible only whole (one PUT or a completed
 * multipart upload), there is no rename, and conditional writes make read-modify-write safe.
 * Every failure is a {@link StoreException} (exit code 4) except a missing key on {@link #open}.
 */
public interface ObjectStore extends AutoCloseable {

    /** Where this store points, without credentials; for logs and manifests. */
    String describe();

    /** What a command will do with the store; {@link #check} makes sure it can, before any work. */
    enum Use { READ, WRITE, CREATE }

    /**
     * Fails with one line when the store cannot serve this use: exit 2 for a configuration the user must fix (no such
     * directory or bucket, no permission, no credentials), exit 4 when it cannot be reached. CREATE makes a new local
     * store. Checked before a job reads its source, so a wrong --store never costs a whole read.
     */
    default void check(Use use) {}

    /** Streams an object; throws {@link ObjectNotFoundException} if there is none. */
    InputStream open(String key);

    /** Reads a small object whole, with its version tag; empty if there is none. */
    Optional<Versioned> read(String key, long maxBytes);

    /** Writes an object from a stream; readers see the old object or the new one, never a part. */
    StoredObject write(String key, Body body);

    /**
     * True if a written object's etag is the sha256 of its bytes in lowercase hex (the file store's), so that a writer
     * which needs that digest can take it from {@link StoredObject#etag} instead of hashing the bytes a second time.
     */
    default boolean etagIsSha256() {
        return false;
    }

    /** Writes a small object if the precondition holds, else throws {@link PreconditionFailedException}. */
    StoredObject put(String key, byte[] bytes, Precondition precondition);

    /** Copies an object whole (server-side where the store can). */
    StoredObject copy(String fromKey, String toKey);

    /**
     * The same when the caller knows the sha256 of the source's bytes (a manifest records it): a store whose etags are
     * sha256s ({@link #etagIsSha256}) takes it as the copy's etag instead of reading the bytes again.
     */
    default StoredObject copy(String fromKey, String toKey, String sha256) {
        return copy(fromKey, toKey);
    }

    boolean exists(String key);

    /** Keys under a prefix, in lexicographic order. */
    List<String> list(String prefix);

    /** Keys under a prefix with when each was last written, in lexicographic order; one listing, no reads. */
    List<Listed> listWithTimes(String prefix);

    @Override
    default void close() {}

    /** Produces an object's bytes; it may be called again if the store retries the upload. */
    @FunctionalInterface
    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    record StoredObject(String key, long size, String etag) {}

    record Versioned(byte[] bytes, String etag) {}

    record Listed(String key, java.time.Instant lastModified) {}
}
