package io.scoreline.fetch.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scoreline.core.error.ExitCode;
import io.scoreline.core.error.JobException;
import io.scoreline.core.records.Json;
import io.scoreline.core.run.Window;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

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
            try (BufferedReader lines = reader(file)) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (!line.isBlank()) accept(line, sink);
                }
            } catch (IOException e) {
                throw new JobException(ExitCode.SOURCE_UNAVAILABLE, "cannot read " + file + ": " + e.getMessage(), e);
            }
        }
    }

    private static void accept(String line, DocumentSink sink) {
        try {
            JsonNode node = Json.MAPPER.readTree(line);
            if (node instanceof ObjectNode doc) sink.accept(doc, null);
            else sink.reject(line, "not a JSON object");
        } catch (JsonProcessingException e) {
            sink.reject(line, "not valid JSON: " + e.getOriginalMessage());
        }
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

    private static BufferedReader reader(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        if (file.getFileName().toString().endsWith(".gz")) in = new GZIPInputStream(in, 1 << 16);
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    }
}
