package io.scoreline.fetch.source;

import io.scoreline.core.error.ExitCode;
import io.scoreline.core.error.JobException;
import io.scoreline.core.records.ByteLines;
import io.scoreline.core.records.Json;
import io.scoreline.core.run.Window;
import io.scoreline.source.DocumentSink;
import io.scoreline.source.DocumentSource;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** NDJSON documents in a file, or in every *.ndjson / *.jsonl (optionally .gz) file of a directory. */
public final class FileSource implements DocumentSource {
    private final Path path;

    public FileSource(Path path) {
        this.path = path;
    }

    @Override
    public String describe() {
        return path.toUri().toString();
    }

    @Override
    public void read(Window window, DocumentSink sink) {
        for (Path file : files()) {
            try (InputStream in = open(file)) {
                ByteLines lines = new ByteLines(in, Json.MAX_DOCUMENT_BYTES);
                while (lines.next()) {
                    if (lines.overLimit() >= 0) {
                        sink.reject(file.getFileName() + ": a line of " + lines.overLimit() + " bytes",
                            "longer than the limit of " + Json.MAX_DOCUMENT_BYTES + " bytes per document");
                    } else if (!blank(lines.bytes(), lines.length())) {
                        sink.accept(lines.bytes(), lines.length());
                    }
                }
            } catch (ZipException | EOFException e) {
                // corrupt or cut gzip: what was read stays, the rest is one rejection, so the file cannot stall every run
                sink.reject(file.getFileName().toString(), "not valid gzip from here on: " + e.getMessage());
            } catch (IOException e) {
                throw new JobException(ExitCode.SOURCE_UNAVAILABLE, "cannot read " + file + ": " + e.getMessage(), e);
            }
        }
    }

    private static boolean blank(byte[] line, int length) {
        for (int i = 0; i < length; i++) {
            byte b = line[i];
            if (b != ' ' && b != '\t' && b != '\r') return false;
        }
        return true;
    }

    private List<Path> files() {
        if (Files.isRegularFile(path)) return List.of(path);
        if (!Files.isDirectory(path)) {
            throw new JobException(ExitCode.SOURCE_UNAVAILABLE, "source " + path + " does not exist: give an NDJSON file or a directory of them");
        }
        try (Stream<Path> entries = Files.list(path)) {
            return entries.filter(p -> p.getFileName().toString().matches(".*\\.(ndjson|jsonl)(\\.gz)?$")).sorted().toList();
        } catch (IOException e) {
            throw new JobException(ExitCode.SOURCE_UNAVAILABLE, "cannot list " + path + ": " + e.getMessage(), e);
        }
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        if (!file.getFileName().toString().endsWith(".gz")) return in;
        try {
            return new GZIPInputStream(in, 1 << 16);
        } catch (IOException notGzip) {
            in.close();
            throw notGzip;
        }
    }
}
