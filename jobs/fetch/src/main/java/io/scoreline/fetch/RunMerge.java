package io.scoreline.fetch;

import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Merges cursors (each sorted by id, one version per id) into one sequence sorted by id that keeps the newest version
 * of each id: the k-way merge of an external sort, with the same choice of version as in memory.
 */
final class RunMerge {
    /** Receives the merged versions in increasing order of id. */
    @FunctionalInterface
    interface Sink {
        void accept(String id, Version version);
    }

    private RunMerge() {}

    /** Merges {@code cursors} into {@code sink}; returns how many older versions it dropped (ids in more than one cursor). */
    static long merge(List<? extends VersionCursor> cursors, Sink sink) {
        if (cursors.size() == 1) return drain(cursors.getFirst(), sink);  // the usual case: nothing spilled
        var heads = new PriorityQueue<VersionCursor>(Math.max(1, cursors.size()), Comparator.comparing(VersionCursor::id));
        for (VersionCursor c : cursors) {
            if (c.id() != null) heads.add(c);
        }
        long dropped = 0;
        while (!heads.isEmpty()) {
            VersionCursor first = heads.poll();
            if (heads.isEmpty()) return dropped + drain(first, sink);
            // runs that do not overlap (an export in id order spilled as it came) are copied without the queue
            String next = heads.peek().id();
            for (; first.id() != null && first.id().compareTo(next) < 0; first.advance()) sink.accept(first.id(), first.version());
            if (first.id() == null) continue;
            if (first.id().compareTo(next) > 0) {
                heads.add(first);
                first = heads.poll();
            }
            String id = first.id();
            Version newest = first.version();
            next(first, heads);
            while (!heads.isEmpty() && heads.peek().id().equals(id)) {
                VersionCursor same = heads.poll();
                if (same.version().newerThan(newest)) newest = same.version();
                dropped++;
                next(same, heads);
            }
            sink.accept(id, newest);
        }
        return dropped;
    }

    private static long drain(VersionCursor cursor, Sink sink) {
        for (; cursor.id() != null; cursor.advance()) sink.accept(cursor.id(), cursor.version());
        return 0;
    }

    private static void next(VersionCursor cursor, PriorityQueue<VersionCursor> heads) {
        cursor.advance();
        if (cursor.id() != null) heads.add(cursor);
    }
}
