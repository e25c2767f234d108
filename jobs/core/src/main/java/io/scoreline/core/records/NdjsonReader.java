package io.scoreline.core.records;

import io.scoreline.core.error.JobException;
import io.scoreline.core.store.Digests;
import io.scoreline.core.store.ObjectStore;
import io.scoreline.core.store.StoreException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.zip.GZIPInputStream;

/**
 * Reads gzip NDJSON line by line while hashing the stored bytes, so a reader can check the sha256 a manifest
 * promised once it reaches the end.
 */
public final class NdjsonReader implements AutoCloseable {
    private final String key;
    private final MessageDigest digest = Digests.sha256();
    private final InputStream raw;
    private final BufferedReader lines;
    private long lineNumber;

    public NdjsonReader(ObjectStore store, String key) {
        this.key = key;
        this.raw = new DigestInputStream(store.open(key), digest);
        try {
            this.lines = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw, 1 << 16), StandardCharsets.UTF_8), 1 << 16);
        } catch (IOException e) {
            closeQuietly();
            throw JobException.refused("'" + key + "' is not gzip: " + e.getMessage());
        }
    }

    /** The next non-blank line, or null at the end. */
    public String next() {
        try {
            String line;
            do {
                line = lines.readLine();
                lineNumber++;
            } while (line != null && line.isBlank());
            return line;
        } catch (IOException e) {
            // a broken read, not a write: say so, so the one-line error names the object that failed
            throw new StoreException("cannot read '" + key + "' (line " + lineNumber + "): " + e, e);
        }
    }

    public long lineNumber() {
        return lineNumber;
    }

    /** sha256 of the stored bytes; call after {@link #next()} returned null. */
    public String sha256() {
        try {
            raw.transferTo(java.io.OutputStream.nullOutputStream()); // hash any gzip trailer bytes the reader did not need
        } catch (IOException e) {
            throw new StoreException("cannot read '" + key + "' to its end: " + e, e);
        }
        return Digests.hex(digest.digest());
    }

    /** Checks the whole object against the hash a manifest recorded. */
    public void verify(String expectedSha256) {
        String actual = sha256();
        if (!actual.equals(expectedSha256)) {
            throw JobException.refused("'" + key + "' does not match its manifest (sha256 " + actual
                + ", expected " + expectedSha256 + "): it was modified or truncated; rerun the job that wrote it");
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            if (lines != null) lines.close();
            else raw.close();
        } catch (IOException ignored) {
            // nothing to recover on close of a read stream
        }
    }
}
