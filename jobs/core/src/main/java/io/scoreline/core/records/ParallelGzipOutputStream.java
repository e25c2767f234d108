package io.scoreline.core.records;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * gzip on every core: the bytes are cut into fixed blocks, each compressed on its own into a complete gzip member, and
 * the members are written in order. Concatenated members are one gzip stream to every reader (GZIPInputStream, zcat,
 * Python, Spark); fixed blocks keep the output identical from run to run. Deflate was most of the CPU of writing a
 * large output, and the cores are otherwise idle while a job writes. Each member carries its length in its header
 * ({@link GzipMember}), so that {@link MemberInflatingInputStream} can read them back on every core too.
 */
final class ParallelGzipOutputStream extends OutputStream {
    static final int BLOCK = 1 << 20;
    private static final int MAX_THREADS = 4;

    private final OutputStream out;
    private final int level;
    private final ExecutorService compressors;
    private final int inFlight;
    private final ArrayDeque<Future<byte[]>> pending = new ArrayDeque<>();
    private byte[] block = new byte[BLOCK];
    private int used;
    private boolean anyBlock;

    ParallelGzipOutputStream(OutputStream out, int level) {
        this.out = out;
        this.level = level;
        // A few threads already compress faster than a job produces lines; more would only hold more blocks in memory.
        int threads = Math.min(Runtime.getRuntime().availableProcessors(), MAX_THREADS);
        this.compressors = Executors.newFixedThreadPool(threads, Thread.ofPlatform().daemon().name("gzip-", 0).factory());
        this.inFlight = 2 * threads;
    }

    @Override
    public void write(int b) throws IOException {
        if (used == BLOCK) submit();
        block[used++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (used == BLOCK) submit();
            int n = Math.min(len, BLOCK - used);
            System.arraycopy(b, off, block, used, n);
            used += n;
            off += n;
            len -= n;
        }
    }

    /** Compresses what is left and writes every member; the underlying stream stays open (its owner closes it). */
    void finish() throws IOException {
        if (used > 0 || !anyBlock) submit();  // an empty stream is still one (empty) gzip member
        while (!pending.isEmpty()) writeOldest();
    }

    /** Stops the compressing threads. Without {@link #finish} first, what was not yet written is dropped: the write failed. */
    @Override
    public void close() {
        compressors.shutdownNow();
    }

    private void submit() throws IOException {
        byte[] input = block;
        int length = used;
        pending.add(compressors.submit(() -> compress(input, length)));
        anyBlock = true;
        block = new byte[BLOCK];
        used = 0;
        while (pending.size() > inFlight) writeOldest();
    }

    private byte[] compress(byte[] input, int length) {
        var deflater = new Deflater(level, true);
        try {
            deflater.setInput(input, 0, length);
            deflater.finish();
            byte[] member = new byte[GzipMember.HEADER + length / 4 + 1024];
            int end = GzipMember.HEADER;
            while (!deflater.finished()) {
                if (end == member.length) member = Arrays.copyOf(member, member.length * 2);
                end += deflater.deflate(member, end, member.length - end);
            }
            member = Arrays.copyOf(member, end + GzipMember.TRAILER);
            var crc = new CRC32();
            crc.update(input, 0, length);
            GzipMember.putInt(member, end, (int) crc.getValue());
            GzipMember.putInt(member, end + 4, length);
            GzipMember.writeHeader(member, member.length);
            return member;
        } finally {
            deflater.end();
        }
    }

    private void writeOldest() throws IOException {
        try {
            out.write(pending.removeFirst().get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while compressing");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException("compressing failed", e.getCause());
        }
    }
}
