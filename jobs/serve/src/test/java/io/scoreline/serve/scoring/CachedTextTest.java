package io.scoreline.serve.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.scoreline.serve.api.RankResponse.Item;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A cached rank answer written from its items' JSON is byte for byte the one written whole, and reads back the same. */
class CachedTextTest {
    @Test
    void writtenFromItsItemsJsonTheCachedAnswerIsTheSameBytes() {
        List<Item> items = List.of(new Item("a", 0.8125, "yes"), new Item("b\"\u2028", 1e-300, null), new Item("c", null, null));
        byte[] whole = CachedJson.write(new RankService.Cached(1_764_000_000_123L, items));
        byte[] fromText = CachedJson.write(new RankService.CachedText(1_764_000_000_123L, CachedJson.text(items)));
        assertArrayEquals(whole, fromText, new String(whole) + " / " + new String(fromText));
        assertEquals(items, CachedJson.read(fromText, RankService.Cached.class).orElseThrow().items());
    }
}
