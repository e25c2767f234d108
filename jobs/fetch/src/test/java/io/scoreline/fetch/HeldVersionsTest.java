package io.scoreline.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The table behind NewestPerId: one version per id, the newest, whatever the ids' hashes. */
class HeldVersionsTest {
    private static Version version(long seconds, String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        return new Version(seconds, 0, bytes, 0, bytes.length);
    }

    private static String line(Version v) {
        return new String(v.bytes(), v.offset(), v.length(), StandardCharsets.UTF_8);
    }

    @Test
    void idsSharingStringHashCodeAreKeptApartAndSorted() {
        // 2^16 ids of "Aa" and "BB" blocks share one String.hashCode: the table must still hold each, once
        List<String> ids = new ArrayList<>(List.of(""));
        for (int i = 0; i < 16; i++) {
            List<String> longer = new ArrayList<>();
            for (String id : ids) {
                longer.add(id + "Aa");
                longer.add(id + "BB");
            }
            ids = longer;
        }
        HeldVersions held = new HeldVersions();
        for (String id : ids) held.offer(id, version(1, id));
        for (String id : ids) assertEquals(HeldVersions.Outcome.KEPT, held.offer(id, version(0, "older")));
        assertEquals(ids.size(), held.count());
        String[] sorted = held.sortedIds();
        assertEquals(ids.stream().sorted().toList(), List.of(sorted));
        for (String id : sorted) assertEquals(id, line(held.version(id)));
    }

    @Test
    void aNewerVersionReplacesTheHeldOneAndClearStartsOver() {
        HeldVersions held = new HeldVersions();
        assertEquals(HeldVersions.Outcome.ADDED, held.offer("a", version(1, "one")));
        assertEquals(HeldVersions.Outcome.REPLACED, held.offer("a", version(2, "two")));
        assertEquals(HeldVersions.Outcome.KEPT, held.offer("a", version(1, "three")));
        assertEquals("two", line(held.version("a")));
        held.clear();
        assertEquals(0, held.count());
        assertEquals(HeldVersions.Outcome.ADDED, held.offer("a", version(0, "zero")));
        assertEquals("zero", line(held.version("a")));
    }
}
