package io.scoreline.publish;

import io.scoreline.core.records.NdjsonWriter;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The predictions of a run's partitions, each sorted by id, read side by side as one stream sorted by id (a heap of
 * the parts' cursors; each line's bytes stay in its own part's reader until that part advances). Partitions hold
 * disjoint ids (a hash of the id, or slices of one point-in-time); should two hold the same id (an index pattern with
 * one id in two indices), the newer document version wins, on a tie the lower partition's, and the id comes once.
 */
final class PartLines implements SnapshotMerge.Lines {
    private record Part(int index, SnapshotMerge.Lines lines) {}

    private final PriorityQueue<Part> heads = new PriorityQueue<>(
        Comparator.comparing((Part p) -> p.lines().id()).thenComparingInt(Part::index));
    private Part current;

    PartLines(List<? extends SnapshotMerge.Lines> parts) {
        for (int i = 0; i < parts.size(); i++) requeue(new Part(i, parts.get(i)));
        settle();
    }

    /** Takes the smallest id; any other part holding it too is passed over, keeping the newest version. */
    private void settle() {
        current = heads.poll();
        if (current == null) return;
        while (!heads.isEmpty() && heads.peek().lines().id().equals(current.lines().id())) {
            Part same = heads.poll();
            Instant at = same.lines().updatedAt(), kept = current.lines().updatedAt();
            boolean newer = at != null && (kept == null || at.isAfter(kept));
            Part passed = newer ? current : same;
            if (newer) current = same;
            passed.lines().advance();
            requeue(passed);
        }
    }

    private void requeue(Part part) {
        if (part.lines().id() != null) heads.add(part);
    }

    @Override
    public String id() {
        return current == null ? null : current.lines().id();
    }

    @Override
    public Instant updatedAt() {
        return current.lines().updatedAt();
    }

    @Override
    public void copyTo(NdjsonWriter out) {
        current.lines().copyTo(out);
    }

    @Override
    public void advance() {
        current.lines().advance();
        requeue(current);
        settle();
    }
}
