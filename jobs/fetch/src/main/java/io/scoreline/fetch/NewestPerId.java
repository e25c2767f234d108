package io.scoreline.fetch;

import io.scoreline.core.records.Document;
import io.scoreline.core.records.NdjsonWriter;
import io.scoreline.core.spill.TempFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Keeps only the newest version of each id (overlapping windows and sliced reads both deliver duplicates), holding
 * each document as its serialized UTF-8 line, in memory that does not grow with the run: past {@code spillAfter}
 * bytes the held versions go to a temporary file as one run sorted by id, and the output is the merge of the runs
 * and what is still held — the same bytes as if everything had fitted. While the ids arrive in increasing order (a
 * full export sorted by id) they are held as they came, with no table and no sort; the first id out of order sends
 * the rest to the table until the next spill. Slices offer concurrently: they serialize their documents outside the
 * lock and take it only to update the table (a few hundred nanoseconds).
 */
final class NewestPerId {
    /**
     * Heap an entry costs beside its line and its id's characters: the id string, the table's slots and arrays
     * (which grow by doubling, so up to twice what they hold).
     */
    private static final int ENTRY_OVERHEAD = 120;
    /** The same for a version held in arrival order: the id string and six arrays (which grow by doubling). */
    private static final int ASCENDING_OVERHEAD = 100;
    /** Fewer versions in order than this are moved to the table when the order breaks: a merge would cost more. */
    static final int SHORT_RUN = 4096;
    /** At most this many runs are read at once (a 64 KiB buffer and an open file each); more are merged into one first. */
    static final int MAX_RUNS = 64;

    private final TempFiles temp;
    private final long spillAfter;
    private final AscendingVersions ascending = new AscendingVersions();
    private final HeldVersions held = new HeldVersions();
    private long heldBytes;
    private long duplicates;
    /** The spilled runs, oldest first. */
    private final List<Path> runs = new ArrayList<>();
    private int spills;

    NewestPerId(TempFiles temp, long spillAfter) {
        this.temp = temp;
        this.spillAfter = spillAfter;
    }

    void offer(Document doc) {
        offer(doc.id(), Version.of(doc));
    }

    /** Offers a version; its line's array is not kept, so the caller may reuse it. */
    synchronized void offer(String id, Version offered) {
        if (held.count() == 0 && ascending.follows(id)) {
            ascending.add(id, offered);
            heldBytes += ASCENDING_OVERHEAD + 2L * id.length() + offered.length();
        } else {
            if (held.count() == 0 && ascending.count() < SHORT_RUN) moveToTable();
            hold(id, offered);
        }
        if (heldBytes >= spillAfter) spill();
    }

    private void hold(String id, Version offered) {
        switch (held.offer(id, offered)) {
            case ADDED -> heldBytes += ENTRY_OVERHEAD + 2L * id.length() + offered.length();
            case REPLACED -> {
                duplicates++;
                heldBytes += offered.length();  // the older line stays held until the next spill
            }
            case KEPT -> duplicates++;
        }
    }

    /** A few ids in order by chance (changes in no order) go to the table, so that the write needs no merge of two. */
    private void moveToTable() {
        for (VersionCursor c = ascending.cursor(); c.id() != null; c.advance()) {
            Version v = c.version();
            heldBytes -= ASCENDING_OVERHEAD + 2L * c.id().length() + v.length();
            hold(c.id(), v);
        }
        ascending.clear();
    }

    /**
     * Older versions dropped; final once {@link #writeSorted} has run (an id both held in arrival order and in the
     * table, or in several runs, is found by the merge).
     */
    synchronized long duplicates() {
        return duplicates;
    }

    /** How many times the held versions went to disk. */
    synchronized int spills() {
        return spills;
    }

    /** Writes the documents sorted by id, the order every later step relies on for streaming merges; call after the last offer. */
    synchronized void writeSorted(NdjsonWriter writer) {
        duplicates += mergeRuns(inMemory(), (id, version) -> writer.writeRaw(version.bytes(), version.offset(), version.length()));
    }

    private void spill() {
        Path run = newRun(sink -> RunMerge.merge(inMemory(), sink));
        runs.add(run);
        ascending.clear();
        held.clear();
        heldBytes = 0;
        spills++;
        if (runs.size() >= MAX_RUNS) {
            Path merged = newRun(sink -> mergeRuns(List.of(), sink));
            for (Path old : runs) delete(old);
            runs.clear();
            runs.add(merged);
        }
    }

    /** What is held in memory, as sorted cursors: the versions held in arrival order, then the table's. */
    private List<VersionCursor> inMemory() {
        List<VersionCursor> cursors = new ArrayList<>(2);
        if (ascending.count() > 0) cursors.add(ascending.cursor());
        if (held.count() > 0 || cursors.isEmpty()) cursors.add(new Held(held));
        return cursors;
    }

    /** Writes what {@code merge} sends its sink as a new run file. */
    private Path newRun(ToLongFunction<RunMerge.Sink> merge) {
        var writer = new SortedRun.Writer(temp);
        try (writer) {
            duplicates += merge.applyAsLong(writer::write);
            return writer.finish();
        } catch (IOException e) {
            throw temp.failed(e);
        }
    }

    /** Merges every spilled run with {@code more} into {@code sink}; returns the older versions dropped. */
    private long mergeRuns(List<VersionCursor> more, RunMerge.Sink sink) {
        List<SortedRun.Reader> readers = new ArrayList<>();
        try {
            for (Path run : runs) readers.add(new SortedRun.Reader(temp, run));
            List<VersionCursor> all = new ArrayList<>(readers);
            all.addAll(more);
            return RunMerge.merge(all, sink);
        } finally {
            for (SortedRun.Reader reader : readers) closeQuietly(reader);
        }
    }

    private void delete(Path run) {
        try {
            Files.deleteIfExists(run);
        } catch (IOException e) {
            throw temp.failed(e);
        }
    }

    private static void closeQuietly(SortedRun.Reader reader) {
        try {
            reader.close();
        } catch (IOException e) {
            // only read from: nothing is lost, and the file goes with the temporary directory
        }
    }

    /** The held versions in increasing order of id. */
    private static final class Held implements VersionCursor {
        private final HeldVersions versions;
        private final String[] ids;
        private int next;

        Held(HeldVersions versions) {
            this.versions = versions;
            this.ids = versions.sortedIds();
        }

        @Override
        public String id() {
            return next < ids.length ? ids[next] : null;
        }

        @Override
        public Version version() {
            return versions.version(ids[next]);
        }

        @Override
        public void advance() {
            next++;
        }
    }
}
