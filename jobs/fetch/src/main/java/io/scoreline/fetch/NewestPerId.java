package io.scoreline.fetch;

import io.scoreline.core.records.Document;
import io.scoreline.core.records.NdjsonWriter;
import io.scoreline.core.spill.TempFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.StampedLock;
import java.util.function.ToLongFunction;

/**
 * Keeps only the newest version of each id (overlapping windows and sliced reads both deliver duplicates), holding
 * each document as its serialized UTF-8 line, in memory that does not grow with the run: past {@code spillAfter}
 * bytes the held versions go to a temporary file as one run sorted by id, and the output is the merge of the runs
 * and what is still held — the same bytes as if everything had fitted. Slices offer concurrently: the serializing
 * happens outside any lock, the map update is per key, and only a spill has the map to itself.
 */
final class NewestPerId {
    /** Heap an entry costs beside its line and its id's characters: the map's node and slot, the id string, the version, array headers. */
    private static final int ENTRY_OVERHEAD = 160;
    /** At most this many runs are read at once (a 64 KiB buffer and an open file each); more are merged into one first. */
    static final int MAX_RUNS = 64;

    private final TempFiles temp;
    private final long spillAfter;
    private final Map<String, Version> held = new ConcurrentHashMap<>(1 << 16);
    private final LineArena arena = new LineArena();
    private final AtomicLong heldBytes = new AtomicLong();
    private final LongAdder duplicates = new LongAdder();
    /** Offers share the map (read lock: one CAS, no per-thread bookkeeping); a spill takes it alone (write lock). */
    private final StampedLock lock = new StampedLock();
    /** The spilled runs, oldest first; changed under the write lock only. */
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
    void offer(String id, Version offered) {
        long stamp = lock.readLock();
        try {
            held.compute(id, (key, current) -> keep(key, current, offered));
        } finally {
            lock.unlockRead(stamp);
        }
        if (heldBytes.get() >= spillAfter) spill();
    }

    /** The version to hold: a newer one is copied into the arena, where the older one's line stays until the next spill. */
    private Version keep(String id, Version current, Version offered) {
        if (current == null) {
            heldBytes.addAndGet(ENTRY_OVERHEAD + 2L * id.length() + offered.length());
            return arena.copy(offered);
        }
        duplicates.increment();
        if (!offered.newerThan(current)) return current;
        heldBytes.addAndGet(offered.length());
        return arena.copy(offered);
    }

    /** Older versions dropped; final once {@link #writeSorted} has run (ids in several runs are found by the merge). */
    long duplicates() {
        return duplicates.sum();
    }

    /** How many times the held versions went to disk. */
    int spills() {
        return spills;
    }

    /** Writes the documents sorted by id, the order every later step relies on for streaming merges; call after the last offer. */
    void writeSorted(NdjsonWriter writer) {
        long stamp = lock.writeLock();
        try {
            duplicates.add(mergeRuns(List.of(new Held(held)), (id, version) -> writer.writeRaw(version.bytes(), version.offset(), version.length())));
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    private void spill() {
        long stamp = lock.writeLock();
        try {
            if (heldBytes.get() < spillAfter) return;  // another slice spilled first
            Path run = newRun(sink -> RunMerge.merge(List.of(new Held(held)), sink));
            runs.add(run);
            held.clear();
            arena.clear();
            heldBytes.set(0);
            spills++;
            if (runs.size() >= MAX_RUNS) {
                Path merged = newRun(sink -> mergeRuns(List.of(), sink));
                for (Path old : runs) delete(old);
                runs.clear();
                runs.add(merged);
            }
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** Writes what {@code merge} sends its sink as a new run file. */
    private Path newRun(ToLongFunction<RunMerge.Sink> merge) {
        var writer = new SortedRun.Writer(temp);
        try (writer) {
            duplicates.add(merge.applyAsLong(writer::write));
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
        private final Map<String, Version> versions;
        private final String[] ids;
        private int next;

        Held(Map<String, Version> versions) {
            this.versions = versions;
            this.ids = versions.keySet().toArray(String[]::new);
            Arrays.parallelSort(ids);  // a million ids sort in about half the time on two cores
        }

        @Override
        public String id() {
            return next < ids.length ? ids[next] : null;
        }

        @Override
        public Version version() {
            return versions.get(ids[next]);
        }

        @Override
        public void advance() {
            next++;
        }
    }
}
