package io.scoreline.fetch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scoreline.core.records.Document;
import io.scoreline.core.records.Json;
import io.scoreline.core.records.NdjsonWriter;
import io.scoreline.core.records.OutputFile;
import io.scoreline.core.run.FetchManifest;
import io.scoreline.core.run.Layout;
import io.scoreline.core.run.Progress;
import io.scoreline.core.run.RunId;
import io.scoreline.core.run.Timing;
import io.scoreline.core.run.Window;
import io.scoreline.core.store.ObjectStore;
import io.scoreline.source.DocumentMapper;
import io.scoreline.source.DocumentSink;
import io.scoreline.source.DocumentSource;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.Deflater;
import org.slf4j.Logger;

/** One fetch: source → window check → newest per id → runs/&lt;run&gt;/input.ndjson.gz (+ rejected documents). */
final class Fetch implements DocumentSink {
    private static final int MAX_REJECTED_CHARS = 10_000;
    private final DocumentMapper mapper;
    private final Window window;
    private final NewestPerId newest = new NewestPerId();
    private final List<ObjectNode> rejected = new ArrayList<>();
    private final AtomicLong outOfWindow = new AtomicLong();
    private final Progress progress;

    /** The source's total is not known: Elasticsearch is searched with track_total_hits off (a count costs a search). */
    Fetch(DocumentMapper mapper, Window window, Logger log, Duration progressInterval) {
        this.mapper = mapper;
        this.window = window;
        this.progress = Progress.logging(log, "documents read", -1, progressInterval);
    }

    FetchManifest run(DocumentSource source, ObjectStore store, RunId run, String mode, Instant intervalEnd, Instant started) {
        source.read(window, this);
        // Read once, by predict: written fast rather than small.
        OutputFile input = NdjsonWriter.write(store, Layout.input(run), Deflater.BEST_SPEED, newest::writeSorted);
        OutputFile rejects = NdjsonWriter.write(store, Layout.fetchRejected(run), w -> rejected.forEach(w::write));
        return new FetchManifest(run.value(), mode, source.describe(), mapper.updatedField(), intervalEnd, window, progress.count(),
            outOfWindow.get(), newest.duplicates(), rejected.size(), input, rejects, Timing.since(started));
    }

    @Override
    public void accept(ObjectNode document, String sourceId) {
        progress.add(1);
        switch (mapper.map(document, sourceId)) {
            case DocumentMapper.Mapped m when window.contains(m.document().updatedAt()) -> offer(m.document());
            case DocumentMapper.Mapped m -> outOfWindow.incrementAndGet();
            case DocumentMapper.Rejected r -> addRejected(document, r.reason());
        }
    }

    private void offer(Document document) {
        try {
            newest.offer(document);
        } catch (UncheckedIOException unwritable) {
            // a source that parses more than the files allow (Elasticsearch's own parser): refuse this document, not the run
            addRejected(Json.MAPPER.getNodeFactory().textNode(document.id()),
                "cannot be written within the file limits: " + Json.describe(unwritable.getCause()));
        }
    }

    @Override
    public void reject(String raw, String reason) {
        progress.add(1);
        // a rejection keeps the start of the line: enough to find it, never a string over the files' own limits
        String kept = raw.length() <= MAX_REJECTED_CHARS ? raw : raw.substring(0, MAX_REJECTED_CHARS) + "…";
        addRejected(Json.MAPPER.getNodeFactory().textNode(kept), reason);
    }

    private void addRejected(JsonNode document, String reason) {
        ObjectNode record = Json.MAPPER.createObjectNode();
        record.put("job", "fetch").put("reason", reason).set("document", document);
        synchronized (rejected) {
            rejected.add(record);
        }
    }
}
