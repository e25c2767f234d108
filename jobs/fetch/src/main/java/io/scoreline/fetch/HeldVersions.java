package io.scoreline.fetch;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The newest version of each id that NewestPerId holds in memory: an open-addressing table over the entries of
 * {@link HeldLines} (a map held four small objects per entry, which were most of fetch's GC work). Not thread-safe:
 * NewestPerId offers under its lock.
 */
final class HeldVersions {
    private final HeldLines held = new HeldLines();
    /** Each id's hash, compared before the id itself: a probe then touches no string but the one it finds. */
    private int[] hashes = new int[1024];
    /** Entry index + 1 by hash of the id, 0 for a free slot; at most half full. */
    private int[] slots = new int[2048];
    private int slotBits = 11;
    private int count;
    /** Seeds the ids' hash: ids made to share String.hashCode ("Aa", "BB") would make probes quadratic (a map falls back to trees). */
    private final int seed = ThreadLocalRandom.current().nextInt();

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
            entry = count++;
            held.reserve(entry);
            if (entry == hashes.length) hashes = Arrays.copyOf(hashes, hashes.length * 2);
            hashes[entry] = hash;
            slots[slot] = entry + 1;
            held.put(entry, id, offered);
            if (2 * count > slots.length) rehash();
            return Outcome.ADDED;
        }
        if (!offered.newerThan(held.version(entry))) return Outcome.KEPT;
        held.set(entry, offered);
        return Outcome.REPLACED;
    }

    /** The held ids in increasing order. */
    String[] sortedIds() {
        String[] sorted = held.ids(count);
        Arrays.parallelSort(sorted);  // a million ids sort in about half the time on two cores
        return sorted;
    }

    /** The held version of {@code id}, which is held. */
    Version version(String id) {
        return held.version(slots[slot(id, hash(id))] - 1);
    }

    /** Drops every entry and starts new chunks (the held ones go once nothing refers to them). */
    void clear() {
        held.clear(count);
        Arrays.fill(slots, 0);
        count = 0;
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
            if (entry < 0 || (hashes[entry] == hash && held.id(entry).equals(id))) return s;
        }
    }

    private void rehash() {
        slots = new int[slots.length * 2];
        slotBits++;
        for (int entry = 0; entry < count; entry++) slots[slot(held.id(entry), hashes[entry])] = entry + 1;
    }
}
