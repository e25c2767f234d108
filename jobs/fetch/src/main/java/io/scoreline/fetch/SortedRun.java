package io.scoreline.fetch;

import io.scoreline.core.spill.TempFiles;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A run spilled to a temporary file: versions in increasing order of id, one per id. Each entry is the id
 * (length, UTF-8), the update time (seconds, nanos) and the line (length, bytes), big-endian; the file ends with a
 * length of -1, so a file cut short is an error, never a shorter run. Both ends keep their own buffer: a data
 * stream over a buffered one took a lock per field, six per entry.
 */
final class SortedRun {
    private static final int BUFFER = 1 << 16;
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private SortedRun() {}

    /** Writes a run; {@link #write} takes ids in strictly increasing order. */
    static final class Writer implements Closeable {
        private final TempFiles temp;
        private final Path file;
        private final OutputStream out;
        private final byte[] buffer = new byte[BUFFER];
        private int used;

        Writer(TempFiles temp) {
            this.temp = temp;
            this.file = temp.create("run");
            try {
                this.out = Files.newOutputStream(file);
            } catch (IOException e) {
                throw temp.failed(e);
            }
        }

        void write(String id, Version version) {
            try {
                byte[] key = id.getBytes(StandardCharsets.UTF_8);
                room(4);
                INT.set(buffer, used, key.length);
                used += 4;
                put(key, 0, key.length);
                room(16);
                LONG.set(buffer, used, version.seconds());
                INT.set(buffer, used + 8, version.nanos());
                INT.set(buffer, used + 12, version.length());
                used += 16;
                put(version.bytes(), version.offset(), version.length());
            } catch (IOException e) {
                throw temp.failed(e);
            }
        }

        /** The finished run's file. */
        Path finish() {
            try {
                room(4);
                INT.set(buffer, used, -1);
                used += 4;
                flush();
                out.close();
                return file;
            } catch (IOException e) {
                throw temp.failed(e);
            }
        }

        private void room(int n) throws IOException {
            if (used + n > buffer.length) flush();
        }

        private void put(byte[] bytes, int offset, int length) throws IOException {
            if (length > buffer.length - used) {
                flush();
                if (length > buffer.length) {  // a long line goes straight through
                    out.write(bytes, offset, length);
                    return;
                }
            }
            System.arraycopy(bytes, offset, buffer, used, length);
            used += length;
        }

        private void flush() throws IOException {
            out.write(buffer, 0, used);
            used = 0;
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    /** Reads a run back, one version at a time. */
    static final class Reader implements VersionCursor, Closeable {
        private final TempFiles temp;
        private final InputStream in;
        private final byte[] buffer = new byte[BUFFER];
        private int position;
        private int limit;
        private String id;
        private Version version;

        Reader(TempFiles temp, Path file) {
            this.temp = temp;
            try {
                this.in = Files.newInputStream(file);
            } catch (IOException e) {
                throw temp.failed(e);
            }
            advance();
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public Version version() {
            return version;
        }

        @Override
        public void advance() {
            try {
                int idLength = readInt();
                if (idLength < 0) {
                    id = null;
                    version = null;
                    return;
                }
                if (idLength <= buffer.length) {
                    need(idLength);
                    id = new String(buffer, position, idLength, StandardCharsets.UTF_8);
                    position += idLength;
                } else {
                    id = new String(bytes(idLength), StandardCharsets.UTF_8);
                }
                need(16);
                long seconds = (long) LONG.get(buffer, position);
                int nanos = (int) INT.get(buffer, position + 8);
                int length = (int) INT.get(buffer, position + 12);
                position += 16;
                byte[] line = bytes(length);
                version = new Version(seconds, nanos, line, 0, line.length);
            } catch (IOException e) {
                throw temp.failed(e);
            }
        }

        private int readInt() throws IOException {
            need(4);
            int value = (int) INT.get(buffer, position);
            position += 4;
            return value;
        }

        /** Makes the next {@code n} bytes (at most a buffer) readable at {@code position}. */
        private void need(int n) throws IOException {
            if (limit - position >= n) return;
            System.arraycopy(buffer, position, buffer, 0, limit - position);
            limit -= position;
            position = 0;
            while (limit < n) {
                int read = in.read(buffer, limit, buffer.length - limit);
                if (read < 0) throw new EOFException("a temporary run file ends early");
                limit += read;
            }
        }

        private byte[] bytes(int length) throws IOException {
            byte[] bytes = new byte[length];
            int buffered = Math.min(length, limit - position);
            System.arraycopy(buffer, position, bytes, 0, buffered);
            position += buffered;
            if (buffered < length && in.readNBytes(bytes, buffered, length - buffered) < length - buffered) {
                throw new EOFException("a temporary run file ends early");
            }
            return bytes;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
