package io.scoreline.core.spill;

import io.scoreline.core.records.NdjsonWriter;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Lines of serialized JSON added from any thread and copied out later in the order they came, kept in a temporary
 * file rather than the heap: a run that rejects every document needs no more memory than one that rejects none.
 */
public final class LineSpool {
    private static final int BUFFER = 1 << 16;
    private final TempFiles temp;
    private final String name;
    private Path file;
    private DataOutputStream out;
    private long count;

    public LineSpool(TempFiles temp, String name) {
        this.temp = temp;
        this.name = name;
    }

    /** Adds one line of UTF-8 JSON (no newline). */
    public synchronized void add(byte[] line) {
        try {
            if (out == null) {
                if (file != null) throw new IllegalStateException("a line added after the spool was written out");
                file = temp.create(name);
                out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), BUFFER));
            }
            out.writeInt(line.length);
            out.write(line);
        } catch (IOException e) {
            throw temp.failed(e);
        }
        count++;
    }

    public synchronized long count() {
        return count;
    }

    /** Writes every line to {@code writer}, in the order they were added; call after the last add. */
    public synchronized void writeTo(NdjsonWriter writer) {
        if (file == null) return;
        try {
            if (out != null) out.close();
            out = null;
            try (var in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), BUFFER))) {
                byte[] line = new byte[256];
                for (long i = 0; i < count; i++) {
                    int length = in.readInt();
                    if (line.length < length) line = new byte[Math.max(length, 2 * line.length)];
                    in.readFully(line, 0, length);
                    writer.writeRaw(line, length);
                }
            }
        } catch (IOException e) {
            throw temp.failed(e);
        }
    }
}
