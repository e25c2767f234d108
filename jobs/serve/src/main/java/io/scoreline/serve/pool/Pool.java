package io.scoreline.serve.pool;

import io.scoreline.core.records.Document;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A pool held in memory: an immutable snapshot (items in id order, and by id) swapped whole on every refresh, so a
 * request reads one consistent version without locks.
 */
public final class Pool {
    /** The items and when they were read; {@code newest} is the latest update time seen, where the next incremental read starts. */
    public record Snapshot(List<Document> items, Map<String, Document> byId, Instant newest, Instant refreshedAt) {
        static final Snapshot EMPTY = new Snapshot(List.of(), Map.of(), null, null);
    }

    private final PoolSpec spec;
    private volatile Snapshot snapshot = Snapshot.EMPTY;

    public Pool(PoolSpec spec) {
        this.spec = spec;
    }

    public PoolSpec spec() {
        return spec;
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    public boolean loaded() {
        return snapshot.refreshedAt() != null;
    }

    /** A full read: the pool becomes exactly these documents (so documents deleted from the index leave it). */
    void replaceAll(Collection<Document> documents, Instant now) {
        snapshot = build(new HashMap<>(), documents, now);
    }

    /** An incremental read: new and updated documents replace their older versions. */
    void merge(Collection<Document> documents, Instant now) {
        snapshot = build(new HashMap<>(snapshot.byId()), documents, now);
    }

    private static Snapshot build(Map<String, Document> byId, Collection<Document> documents, Instant now) {
        for (Document d : documents) byId.merge(d.id(), d, (old, offered) -> offered.updatedAt().isBefore(old.updatedAt()) ? old : offered);
        List<Document> items = new ArrayList<>(byId.values());
        items.sort(Comparator.comparing(Document::id));
        Instant newest = items.stream().map(Document::updatedAt).max(Comparator.naturalOrder()).orElse(null);
        return new Snapshot(List.copyOf(items), Map.copyOf(byId), newest, now);
    }
}
