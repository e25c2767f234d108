package io.scoreline.fetch;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The newest version of each id that NewestPerId holds in memory: an open-addressing table over arrays, the lines
 * copied into shared chunks ({@link LineChunks}). Nothing per entry but the id string, where a map held four small
 * objects the collector copied and traced (most of fetch's GC work). Not thread-safe: NewestPerId offers under its lock.
 */
final class HeldVersions {
    private String[] ids = new String[1024];
    /** Each id's hash, compared before the id itself: a probe then touches no string but the one it finds. */
    private int[] hashes = new int[1024];
    private long[] seconds = new long[1024];
    private int[] nanos = new int[1024];
    private byte[][] lines = new byte[1024][];
    private int[] offsets = new int[1024], lengths = new int[1024];
    /** Entry index + 1 by hash of the id, 0 for a free slot; at most half full. */
    private int[] slots = new int[2048];
    private int slotBits = 11;
    private int count;
    /** Seeds the ids' hash: ids made to share String.hashCode ("Aa", "BB") would make probes quadratic (a map falls back to trees). */
    private final int seed = ThreadLocalRandom.current().nextInt();
    private final LineChunks chunks = new LineChunks();

    /** What an offer did. */
    enum Outcome { ADDED, REPLACED, KEPT }

    int count() {
        return count;
    }

    /** Holds {@code offered} unless the held version of its id is newer; the line is copied, so its array may be reused. */
    Outcome offer(String id, Version offered) {
        int hash = hash(id);
        int slot = slot(id, hash);
        int entry = slots[slot] - 1;
        if (entry < 0) {
            if (count == ids.length) grow();
            entry = count++;
            ids[entry] = id;
            hashes[entry] = hash;
            slots[slot] = entry + 1;
            set(entry, offered);
            if (2 * count > slots.length) rehash();
            return Outcome.ADDED;
        }
        if (!offered.newerThan(version(entry))) return Outcome.KEPT;
        set(entry, offered);  // the older line stays in its chunk until the next clear
        return Outcome.REPLACED;
    }

    /** The held ids in increasing order. */
    String[] sortedIds() {
        String[] sorted = Arrays.copyOf(ids, count);
        Arrays.parallelSort(sorted);  // a million ids sort in about half the time on two cores
        return sorted;
    }

    /** The held version of {@code id}, which is held. */
    Version version(String id) {
        return version(slots[slot(id, hash(id))] - 1);
    }

    /** Drops every entry and starts new chunks (the held ones go once nothing refers to them). */
    void clear() {
        Arrays.fill(ids, 0, count, null);
        Arrays.fill(lines, 0, count, null);
        Arrays.fill(slots, 0);
        count = 0;
        chunks.clear();
    }

    private Version version(int entry) {
        return new Version(seconds[entry], nanos[entry], lines[entry], offsets[entry], lengths[entry]);
    }

    private void set(int entry, Version v) {
        chunks.copy(v);
        lines[entry] = chunks.array();
        offsets[entry] = chunks.offset();
        lengths[entry] = v.length();
        seconds[entry] = v.seconds();
        nanos[entry] = v.nanos();
    }

    /** FNV-1a over the characters, from the table's seed. */
    private int hash(String id) {
        int h = seed;
        for (int i = 0, n = id.length(); i < n; i++) h = (h ^ id.charAt(i)) * 0x01000193;
        return h;
    }

    /** The slot of {@code id}: where it is, or the free one where it goes. */
    private int slot(String id, int hash) {
        int mask = slots.length - 1;
        for (int s = (hash * 0x9E3779B9) >>> (32 - slotBits); ; s = (s + 1) & mask) {  // Fibonacci hashing: the high bits
            int entry = slots[s] - 1;
            if (entry < 0 || (hashes[entry] == hash && ids[entry].equals(id))) return s;
        }
    }

    private void grow() {
        int n = ids.length * 2;
        ids = Arrays.copyOf(ids, n);
        hashes = Arrays.copyOf(hashes, n);
        seconds = Arrays.copyOf(seconds, n);
        nanos = Arrays.copyOf(nanos, n);
        lines = Arrays.copyOf(lines, n);
        offsets = Arrays.copyOf(offsets, n);
        lengths = Arrays.copyOf(lengths, n);
    }

    private void rehash() {
        slots = new int[slots.length * 2];
        slotBits++;
        for (int entry = 0; entry < count; entry++) slots[slot(ids[entry], hashes[entry])] = entry + 1;
    }
}
