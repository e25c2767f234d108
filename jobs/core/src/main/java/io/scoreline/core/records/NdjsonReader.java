package io.scoreline.core.records;

import io.scoreline.core.error.ExitCode;
import io.scoreline.core.error.JobException;
import io.scoreline.core.store.Digests;
import io.scoreline.core.store.ObjectStore;
import io.scoreline.core.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;

/**
 * Reads gzip NDJSON line by line while hashing the stored bytes, so a reader can check the sha256 a manifest
 * promised once it reaches the end. Members that carry their length are inflated on every core
 * ({@link MemberInflatingInputStream}). Lines are decoded as strict UTF-8: a line with invalid bytes is an
 * {@link InvalidLine}, never text with replacement characters.
 */
public final class NdjsonReader implements AutoCloseable {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private final String key;
    private final MessageDigest digest = Digests.sha256();
    private final InputStream raw;
    private final InputStream gunzipped;
    private final ByteLines lines;
    // strict: invalid bytes are reported, never replaced by U+FFFD (which would merge 'bad-\xff' and 'bad-\xfe')
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder();
    private long lineNumber;
    private String decoded;  // the current line when it is not ASCII (decoding is how it was checked)

    /** A line that is not valid UTF-8; the reader stays on the next line, so a caller may reject it and go on. */
    public static final class InvalidLine extends JobException {
        private final String lossyText;

        InvalidLine(String message, String lossyText) {
            super(ExitCode.VALIDATION_REFUSED, message);
            this.lossyText = lossyText;
        }

        /** The line with each invalid byte shown as U+FFFD: for a rejection record, never as data. */
        public String lossyText() {
            return lossyText;
        }
    }

    public NdjsonReader(ObjectStore store, String key) {
        this.key = key;
        this.raw = new DigestInputStream(store.open(key), digest);
        try {
            this.gunzipped = new MemberInflatingInputStream(raw);
        } catch (IOException e) {
            closeQuietly();
            throw JobException.refused("'" + key + "' is not gzip: " + e.getMessage());
        }
        this.lines = new ByteLines(gunzipped, Integer.MAX_VALUE);
    }

    /**
     * The next non-blank line, or null at the end.
     *
     * @throws InvalidLine when the line is not valid UTF-8
     */
    public String next() {
        if (!advance()) return null;
        return decoded != null ? decoded : new String(lines.bytes(), 0, lines.length(), StandardCharsets.ISO_8859_1);
    }

    /**
     * Advances to the next non-blank line without making a String of it: its UTF-8 bytes are then {@link #bytes()}
     * {@code [0, }{@link #length()}{@code )}, valid until the next call. The same lines as {@link #next()}.
     *
     * @return false at the end
     * @throws InvalidLine when the line is not valid UTF-8
     */
    public boolean advance() {
        try {
            while (lines.next()) {
                lineNumber++;
                if (!blank(lines.bytes(), lines.length())) return true;
            }
            return false;
        } catch (IOException e) {
            // a broken read, not a write: say so, so the one-line error names the object that failed
            throw new StoreException("cannot read '" + key + "' (line " + lineNumber + "): " + e, e);
        }
    }

    /** The current line's bytes (valid UTF-8) after {@link #advance()}; see {@link #length()}. */
    public byte[] bytes() {
        return lines.bytes();
    }

    public int length() {
        return lines.length();
    }

    /**
     * Whether a line is blank as {@link String#isBlank()} sees it; an ASCII line is checked on its bytes, any other
     * is decoded strictly first (and kept in {@link #decoded}), which is where invalid UTF-8 is refused.
     */
    private boolean blank(byte[] bytes, int length) {
        decoded = null;
        int i = 0;
        boolean blank = true;
        for (; i < length && blank; i++) {  // a line is rarely blank: its first byte usually settles it
            byte b = bytes[i];
            if (b < 0) return decodedBlank(bytes, length);
            blank = b == ' ' || (b >= 9 && b <= 13) || (b >= 28 && b <= 31);  // Character.isWhitespace of ASCII
        }
        if (blank) return true;
        for (; i + 8 <= length; i += 8) {  // the rest only needs to be ASCII: eight bytes at a time
            if (((long) LONGS.get(bytes, i) & 0x8080808080808080L) != 0) return decodedBlank(bytes, length);
        }
        for (; i < length; i++) if (bytes[i] < 0) return decodedBlank(bytes, length);
        return false;
    }

    private boolean decodedBlank(byte[] bytes, int length) {
        decoded = decode(bytes, length);
        return decoded.isBlank();
    }

    private String decode(byte[] bytes, int length) {
        try {
            return utf8.decode(ByteBuffer.wrap(bytes, 0, length)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidLine("line " + lineNumber + " of '" + key + "' is not valid UTF-8 (" + e.getMessage()
                + "); it was not written by Scoreline or is corrupt", new String(bytes, 0, length, StandardCharsets.UTF_8));
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
            if (gunzipped != null) gunzipped.close();
            else raw.close();
        } catch (IOException ignored) {
            // nothing to recover on close of a read stream
        }
    }
}
