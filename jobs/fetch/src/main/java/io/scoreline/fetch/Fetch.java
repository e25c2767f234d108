package io.scoreline.fetch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scoreline.core.records.Json;
import io.scoreline.core.records.NdjsonWriter;
import io.scoreline.core.records.OutputFile;
import io.scoreline.core.run.FetchManifest;
import io.scoreline.core.run.Layout;
import io.scoreline.core.run.Partition;
import io.scoreline.core.run.RunPlan;
import io.scoreline.core.run.Progress;
import io.scoreline.core.run.RunId;
import io.scoreline.core.run.Timing;
import io.scoreline.core.run.Window;
import io.scoreline.core.spill.LineSpool;
import io.scoreline.core.spill.TempFiles;
import io.scoreline.core.store.ObjectStore;
import io.scoreline.fetch.line.LineMapper;
import io.scoreline.source.DocumentMapper;
import io.scoreline.source.DocumentSink;
import io.scoreline.source.DocumentSource;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.zip.Deflater;
import org.slf4j.Logger;

/** One fetch: source → window check → newest per id → runs/&lt;run&gt;/input.ndjson.gz (+ rejected documents). */
final class Fetch implements DocumentSink {
    private static final int MAX_REJECTED_CHARS = 10_000;
    private final DocumentMapper mapper;
    private final Window window;
    private final Share share;
    /** The partition whose ids this fetch keeps: its own when the source sends every document, else all (ONE). */
    private Partition keep = Partition.ONE;
    private final NewestPerId newest;
    private final ThreadLocal<LineMapper> lines;
    private final LineSpool rejected;
    private final AtomicLong outOfWindow = new AtomicLong();
    private final Progress progress;
    private final Logger log;

    /** The source's total is not known: Elasticsearch is searched with track_total_hits off (a count costs a search). */
    /** Which share of the run one fetch reads, in which window: the whole run, or one partition of a plan. */
    record Share(Partition part, RunPlan plan, Window window, Instant intervalEnd) {
        static Share whole(Window window, Instant intervalEnd) {
            return new Share(Partition.ONE, null, window, intervalEnd);
        }
    }

    /** Documents past {@code spillAfter} bytes of heap, and every rejected document, go to {@code temp}, which the caller owns and deletes. */
    Fetch(DocumentMapper mapper, Share share, Logger log, Duration progressInterval, TempFiles temp, long spillAfter) {
        this.mapper = mapper;
        this.window = share.window();
        this.share = share;
        this.log = log;
        this.progress = Progress.logging(log, "documents read", -1, progressInterval);
        this.newest = new NewestPerId(temp, spillAfter);
        this.lines = ThreadLocal.withInitial(() -> new LineMapper(mapper));
        this.rejected = new LineSpool(temp, "rejected");
    }

    FetchManifest run(DocumentSource source, ObjectStore store, RunId run, String mode, Instant started) {
        Partition part = share.part();
        if (share.plan() == null) {
            source.read(window, this);
        } else {
            if (!source.readsPartitions()) keep = part;
            source.read(window, part, share.plan().pointInTime(), share.plan().slices(), this);
        }
        // Read once, by predict: written fast rather than small.
        OutputFile input = NdjsonWriter.write(store, Layout.input(run, part), Deflater.BEST_SPEED, newest::writeSorted);
        if (newest.spills() > 0) {
            log.info("run {}: the documents went to temporary files {} times before the merge (--spill-after)", run, newest.spills());
        }
        OutputFile rejects = NdjsonWriter.write(store, Layout.fetchRejected(run, part), rejected::writeTo);
        var manifest = new FetchManifest(run.value(), mode, source.describe(), mapper.updatedField(), share.intervalEnd(), window,
            progress.count(), outOfWindow.get(), newest.duplicates(), rejected.count(), input, rejects, Timing.since(started));
        return share.plan() == null ? manifest : manifest.withPart(new FetchManifest.Part(part.index(), part.count(), share.plan().id()));
    }

    /** A document without a usable id belongs to no partition by hash: partition 0 keeps its rejection, so it counts once. */
    private boolean keepsUnidentified() {
        return keep.index() == 0;
    }

    @Override
    public void accept(ObjectNode document, String sourceId) {
        switch (mapper.map(document, sourceId)) {
            case DocumentMapper.Mapped m -> take(m.document().id(), m.document().updatedAt(), () -> Version.of(m.document()));
            case DocumentMapper.Rejected r when keepsUnidentified() -> {
                progress.add(1);
                addRejected(document, r.reason());
            }
            case DocumentMapper.Rejected r -> { }
        }
    }

    /** A line the fast mapper can take goes straight to its input line; any other takes the tree path, which words rejections. */
    @Override
    public void accept(byte[] line, int length) {
        LineMapper.Mapped m = lines.get().map(line, length);
        if (m == null) DocumentSink.super.accept(line, length);
        else take(m.id(), m.updatedAt(), () -> Version.of(m.updatedAt(), m.line(), m.length()));
    }

    private void take(String id, Instant updatedAt, Supplier<Version> version) {
        if (!keep.owns(id)) return;  // another partition's
        progress.add(1);
        if (window.contains(updatedAt)) offer(id, version);
        else outOfWindow.incrementAndGet();
    }

    private void offer(String id, Supplier<Version> version) {
        try {
            newest.offer(id, version.get());
        } catch (UncheckedIOException unwritable) {
            // a source that parses more than the files allow (Elasticsearch's own parser): refuse this document, not the run
            addRejected(Json.MAPPER.getNodeFactory().textNode(id),
                "cannot be written within the file limits: " + Json.describe(unwritable.getCause()));
        }
    }

    @Override
    public void reject(String raw, String reason) {
        if (!keepsUnidentified()) return;
        progress.add(1);
        // a rejection keeps the start of the line: enough to find it, never a string over the files' own limits
        String kept = raw.length() <= MAX_REJECTED_CHARS ? raw : raw.substring(0, MAX_REJECTED_CHARS) + "…";
        addRejected(Json.MAPPER.getNodeFactory().textNode(kept), reason);
    }

    private void addRejected(JsonNode document, String reason) {
        ObjectNode record = Json.MAPPER.createObjectNode();
        record.put("job", "fetch").put("reason", reason).set("document", document);
        try {
            rejected.add(Json.MAPPER.writeValueAsBytes(record));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
