package io.scoreline.core.records;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.PushbackInputStream;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * gunzip on every core: members that carry their length ({@link GzipMember}, what {@link ParallelGzipOutputStream}
 * writes) are read whole, header to header, inflated side by side and returned in order. From the first member without
 * it on (another writer's file, or one appended to ours) the rest is read as GZIPInputStream reads it, on this thread.
 * The underlying stream is read in order and to its end, so a digest taken under it covers every byte inflated.
 * Inflating the previous snapshot was a fifth of a small publish's CPU, all of it on the thread that merges.
 */
final class MemberInflatingInputStream extends InputStream {
    private static final int MAX_THREADS = 4;

    private final PushbackInputStream raw;  // a header that is not ours goes back for GZIPInputStream
    private final ArrayDeque<Future<byte[]>> pending = new ArrayDeque<>();
    private ExecutorService inflaters;  // started with the first member that carries its length
    private int inFlight;
    private InputStream sequential;
    private boolean rawEnded;
    private long offset;  // of the next member in the stored bytes, for messages
    private byte[] current = new byte[0];
    private int position;

    /**
     * Looks at the first header only: a stream that is not gzip fails here, as GZIPInputStream's constructor fails;
     * a member cut short or corrupt fails the read that reaches it, as with GZIPInputStream.
     */
    MemberInflatingInputStream(InputStream raw) throws IOException {
        this.raw = new PushbackInputStream(raw, GzipMember.HEADER);
        byte[] header = this.raw.readNBytes(GzipMember.HEADER);
        this.raw.unread(header);
        if (GzipMember.length(header) < 0) sequential = new GZIPInputStream(this.raw, 1 << 16);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == 1 ? one[0] & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        while (position == current.length) {
            readAhead();
            if (pending.isEmpty()) return sequential == null ? -1 : sequential.read(b, off, len);
            current = take(pending.removeFirst());
            position = 0;
        }
        int n = Math.min(len, current.length - position);
        System.arraycopy(current, position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        if (inflaters != null) inflaters.shutdownNow();
        if (sequential != null) sequential.close();
        else raw.close();
    }

    /** Reads members and hands them to the pool until enough are in flight, the stream ends or a member has no length. */
    private void readAhead() throws IOException {
        while (sequential == null && !rawEnded && (inflaters == null || pending.size() < inFlight)) {
            byte[] header = raw.readNBytes(GzipMember.HEADER);
            if (header.length == 0) {
                rawEnded = true;
                return;
            }
            long length = GzipMember.length(header);
            if (length < 0) {
                raw.unread(header);
                sequential = new GZIPInputStream(raw, 1 << 16);
                return;
            }
            if (length < GzipMember.HEADER + GzipMember.TRAILER || length > GzipMember.MAX_LENGTH) {
                throw new ZipException("the gzip member at byte " + offset + " announces " + length + " bytes: corrupt");
            }
            byte[] body = raw.readNBytes((int) length - GzipMember.HEADER);
            if (body.length < length - GzipMember.HEADER) {
                throw new EOFException("the gzip member at byte " + offset + " is cut short: " + (GzipMember.HEADER + body.length)
                    + " of its " + length + " bytes");
            }
            long at = offset;
            offset += length;
            startPool();
            pending.add(inflaters.submit(() -> inflate(body, at)));
        }
    }

    private void startPool() {
        if (inflaters != null) return;
        int threads = Math.min(Runtime.getRuntime().availableProcessors(), MAX_THREADS);
        inflaters = Executors.newFixedThreadPool(threads, Thread.ofPlatform().daemon().name("gunzip-", 0).factory());
        inFlight = 2 * threads;
    }

    /** One member's deflate data and trailer, checked as GZIPInputStream checks it: it ends where the trailer says. */
    private static byte[] inflate(byte[] body, long at) throws IOException {
        int end = body.length - GzipMember.TRAILER;
        int size = GzipMember.getInt(body, end + 4);
        if (size < 0 || size > GzipMember.MAX_INFLATED) throw corrupt(at, "its size " + Integer.toUnsignedString(size) + " is implausible");
        byte[] out = new byte[size];
        var inflater = new Inflater(true);
        try {
            inflater.setInput(body, 0, end);
            int n = 0;
            while (n < size) {
                int got = inflater.inflate(out, n, size - n);
                if (got == 0 && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary())) break;
                n += got;
            }
            // the end-of-stream code comes after the last byte: read it, and refuse any byte beyond the trailer's size
            boolean more = !inflater.finished() && inflater.inflate(new byte[1]) > 0;
            if (more || n != size || !inflater.finished() || inflater.getRemaining() != 0) {
                throw corrupt(at, "its data does not end where its header and trailer say (" + n + " bytes, trailer says " + size + ")");
            }
        } catch (DataFormatException e) {
            throw corrupt(at, e.getMessage());
        } finally {
            inflater.end();
        }
        var crc = new CRC32();
        crc.update(out);
        if ((int) crc.getValue() != GzipMember.getInt(body, end)) throw corrupt(at, "CRC-32 mismatch");
        return out;
    }

    private static ZipException corrupt(long at, String why) {
        return new ZipException("the gzip member at byte " + at + " is corrupt: " + why);
    }

    private static byte[] take(Future<byte[]> member) throws IOException {
        try {
            return member.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while inflating");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException("inflating failed", e.getCause());
        }
    }
}
