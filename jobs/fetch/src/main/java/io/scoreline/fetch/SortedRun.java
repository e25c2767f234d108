package io.scoreline.fetch;

import io.scoreline.core.spill.TempFiles;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A run spilled to a temporary file: versions in increasing order of id, one per id. Each entry is the id
 * (length, UTF-8), the update time (seconds, nanos) and the line (length, bytes); the file ends with a length of -1,
 * so a file cut short is an error, never a shorter run.
 */
final class SortedRun {
    private static final int BUFFER = 1 << 16;

    private SortedRun() {}

    /** Writes a run; {@link #write} takes ids in strictly increasing order. */
    static final class Writer implements Closeable {
        private final TempFiles temp;
        private final Path file;
        private final DataOutputStream out;

        Writer(TempFiles temp) {
            this.temp = temp;
            this.file = temp.create("run");
            try {
                this.out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), BUFFER));
            } catch (IOException e) {
                throw temp.failed(e);
            }
        }

        void write(String id, Version version) {
            try {
                byte[] key = id.getBytes(StandardCharsets.UTF_8);
                out.writeInt(key.length);
                out.write(key);
                out.writeLong(version.seconds());
                out.writeInt(version.nanos());
                out.writeInt(version.length());
                out.write(version.bytes(), version.offset(), version.length());
            } catch (IOException e) {
                throw temp.failed(e);
            }
        }

        /** The finished run's file. */
        Path finish() {
            try {
                out.writeInt(-1);
                out.close();
                return file;
            } catch (IOException e) {
                throw temp.failed(e);
            }
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    /** Reads a run back, one version at a time. */
    static final class Reader implements VersionCursor, Closeable {
        private final TempFiles temp;
        private final DataInputStream in;
        private String id;
        private Version version;

        Reader(TempFiles temp, Path file) {
            this.temp = temp;
            try {
                this.in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), BUFFER));
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
                int idLength = in.readInt();
                if (idLength < 0) {
                    id = null;
                    version = null;
                    return;
                }
                id = new String(bytes(idLength), StandardCharsets.UTF_8);
                long seconds = in.readLong();
                int nanos = in.readInt();
                byte[] line = bytes(in.readInt());
                version = new Version(seconds, nanos, line, 0, line.length);
            } catch (IOException e) {
                throw temp.failed(e);
            }
        }

        private byte[] bytes(int length) throws IOException {
            byte[] bytes = new byte[length];
            in.readFully(bytes);
            return bytes;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
