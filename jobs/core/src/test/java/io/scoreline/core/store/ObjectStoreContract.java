package io.scoreline.core.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoreline.core.error.ExitCode;
import io.scoreline.core.error.JobException;
import io.scoreline.core.store.ObjectStore.Body;
import io.scoreline.core.store.ObjectStore.StoredObject;
import io.scoreline.core.store.ObjectStore.Versioned;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * What every {@link ObjectStore} promises, asserted the same way for each one: the file store and S3 must be
 * interchangeable. A subclass provides a fresh, empty store per test and a way to see half-written leftovers.
 */
abstract class ObjectStoreContract {
    /** More than two S3 test parts (5 MiB), so S3 takes its multipart path. */
    static final int LARGE = 12 << 20;

    ObjectStore store;

    abstract ObjectStore newStore() throws Exception;

    /** Fails if a write left anything behind that a later reader or bill could see (temp files, multipart uploads). */
    abstract void assertNoLeftovers() throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        if (store != null) store.close();
    }

    @Test
    void writtenBytesComeBackThroughOpenAndRead() throws IOException {
        StoredObject written = store.write("runs/r1/input.ndjson", out -> out.write(bytes("{\"id\":1}\n")));
        assertEquals(new StoredObject("runs/r1/input.ndjson", 9, written.etag()), written);
        try (InputStream in = store.open("runs/r1/input.ndjson")) {
            assertEquals("{\"id\":1}\n", new String(in.readAllBytes(), UTF_8));
        }
        Versioned read = store.read("runs/r1/input.ndjson", 100).orElseThrow();
        assertEquals("{\"id\":1}\n", new String(read.bytes(), UTF_8));
        assertEquals(written.etag(), read.etag());
        assertTrue(store.exists("runs/r1/input.ndjson"));
    }

    @Test
    void largeObjectsComeBackWhole() throws IOException {
        byte[] data = random(LARGE + 123);
        StoredObject written = store.write("big.bin", out -> {
            for (int i = 0; i < data.length; i += 100_000) out.write(data, i, Math.min(100_000, data.length - i));
        });
        assertEquals(data.length, written.size());
        try (InputStream in = store.open("big.bin")) {
            assertArrayEquals(data, in.readAllBytes());
        }
        assertEquals(written.etag(), store.read("big.bin", data.length).orElseThrow().etag());
    }

    @Test
    void emptyObjectsExist() {
        StoredObject written = store.write("empty", out -> { });
        assertEquals(0, written.size());
        assertArrayEquals(new byte[0], store.read("empty", 0).orElseThrow().bytes());
        assertTrue(store.exists("empty"));
    }

    @Test
    void aWriteReplacesTheWholeObject() {
        store.write("latest/predictions.ndjson.gz", out -> out.write(random(5000)));
        byte[] shorter = bytes("new");
        String etag = store.write("latest/predictions.ndjson.gz", out -> out.write(shorter)).etag();
        Versioned read = store.read("latest/predictions.ndjson.gz", 10_000).orElseThrow();
        assertArrayEquals(shorter, read.bytes());
        assertEquals(etag, read.etag());
    }

    @Test
    void aMissingObjectIsNotFoundEverywhere() {
        var missing = assertThrows(ObjectNotFoundException.class, () -> store.open("no/such.json"));
        assertEquals("no/such.json", missing.key());
        assertEquals(ExitCode.STORE_UNAVAILABLE, missing.exitCode());
        assertTrue(store.read("no/such.json", 100).isEmpty());
        assertFalse(store.exists("no/such.json"));
        assertThrows(ObjectNotFoundException.class, () -> store.copy("no/such.json", "elsewhere.json"));
        assertFalse(store.exists("elsewhere.json"));
    }

    @Test
    void readRefusesObjectsAboveTheLimit() {
        store.put("state/watermark.json", random(1001), Precondition.NONE);
        assertEquals(1001, store.read("state/watermark.json", 1001).orElseThrow().bytes().length);
        var refused = assertThrows(StoreException.class, () -> store.read("state/watermark.json", 1000));
        assertEquals(ExitCode.STORE_UNAVAILABLE, refused.exitCode());
        assertEquals("'state/watermark.json' is 1001 bytes, more than the limit of 1000", refused.getMessage());
    }

    @Test
    void aFailingBodyKeepsTheOldObject() {
        byte[] old = bytes("old");
        store.put("runs/r1/predictions.ndjson.gz", old, Precondition.NONE);
        var failed = assertThrows(StoreException.class,
            () -> store.write("runs/r1/predictions.ndjson.gz", failingAfter(1000)));
        assertEquals(ExitCode.STORE_UNAVAILABLE, failed.exitCode());
        assertTrue(failed.getMessage().contains("source stream broke"), failed.getMessage());
        assertArrayEquals(old, store.read("runs/r1/predictions.ndjson.gz", 100).orElseThrow().bytes());
    }

    @Test
    void aLargeBodyFailingMidwayLeavesNothingBehind() throws Exception {
        assertThrows(StoreException.class, () -> store.write("runs/r1/other.bin", failingAfter(LARGE)));
        assertFalse(store.exists("runs/r1/other.bin"));
        assertEquals(List.of(), store.list("runs/"));
        assertNoLeftovers();
    }

    @Test
    void aLargeBodyFailingMidwayKeepsTheOldObject() throws Exception {
        assumeFailedLargeWritesKeepObjects();
        byte[] old = bytes("old");
        store.put("runs/r1/predictions.ndjson.gz", old, Precondition.NONE);
        assertThrows(StoreException.class, () -> store.write("runs/r1/predictions.ndjson.gz", failingAfter(LARGE)));
        assertArrayEquals(old, store.read("runs/r1/predictions.ndjson.gz", 100).orElseThrow().bytes());
        assertNoLeftovers();
    }

    /** Skips (with the reason) where the server, not the store, breaks this promise. */
    void assumeFailedLargeWritesKeepObjects() throws Exception {}

    @Test
    void aBodyBugPropagatesUnchangedAndWritesNothing() throws Exception {
        var bug = new IllegalStateException("a bug in the body");
        Body buggy = out -> {
            out.write(random(S3Limits.MIN_PART_SIZE + 1));
            throw bug;
        };
        assertSame(bug, assertThrows(IllegalStateException.class, () -> store.write("runs/r1/x.bin", buggy)));
        assertFalse(store.exists("runs/r1/x.bin"));
        assertNoLeftovers();
    }

    @Test
    void putAbsentCreatesOnlyOnce() {
        store.put("models/m/1/model.json", bytes("{}"), Precondition.ABSENT);
        var lost = assertThrows(PreconditionFailedException.class,
            () -> store.put("models/m/1/model.json", bytes("{\"other\":1}"), Precondition.ABSENT));
        assertEquals(ExitCode.STORE_UNAVAILABLE, lost.exitCode());
        assertArrayEquals(bytes("{}"), store.read("models/m/1/model.json", 100).orElseThrow().bytes());
    }

    @Test
    void putMatchingReplacesOnlyWhatWasRead() {
        store.put("latest/manifest.json", bytes("v1"), Precondition.NONE);
        String readEtag = store.read("latest/manifest.json", 100).orElseThrow().etag();
        StoredObject second = store.put("latest/manifest.json", bytes("v2"), Precondition.matching(readEtag));
        assertNotEquals(readEtag, second.etag());
        assertEquals(second.etag(), store.read("latest/manifest.json", 100).orElseThrow().etag());

        // a second publisher still holding v1's tag loses, and v2 stays
        assertThrows(PreconditionFailedException.class,
            () -> store.put("latest/manifest.json", bytes("v3"), Precondition.matching(readEtag)));
        assertArrayEquals(bytes("v2"), store.read("latest/manifest.json", 100).orElseThrow().bytes());
    }

    @Test
    void putMatchingFailsWhenTheObjectIsGone() {
        String etag = store.put("state/last_good.json", bytes("v1"), Precondition.NONE).etag();
        assertThrows(PreconditionFailedException.class,
            () -> store.put("state/other.json", bytes("v2"), Precondition.matching(etag)));
        assertFalse(store.exists("state/other.json"));
    }

    @Test
    void putWithoutPreconditionAlwaysWrites() {
        store.put("state/watermark.json", bytes("a"), Precondition.NONE);
        StoredObject b = store.put("state/watermark.json", bytes("b"), Precondition.NONE);
        assertEquals(new StoredObject("state/watermark.json", 1, b.etag()), b);
        assertArrayEquals(bytes("b"), store.read("state/watermark.json", 10).orElseThrow().bytes());
    }

    @Test
    void copyDuplicatesTheWholeObject() {
        byte[] data = random(70_000);
        store.put("runs/r1/predictions.ndjson.gz", data, Precondition.NONE);
        store.put("latest/predictions.ndjson.gz", bytes("previous"), Precondition.NONE);
        StoredObject copied = store.copy("runs/r1/predictions.ndjson.gz", "latest/predictions.ndjson.gz");
        assertEquals("latest/predictions.ndjson.gz", copied.key());
        assertEquals(data.length, copied.size());
        Versioned read = store.read("latest/predictions.ndjson.gz", data.length).orElseThrow();
        assertArrayEquals(data, read.bytes());
        assertEquals(copied.etag(), read.etag());
        assertArrayEquals(data, store.read("runs/r1/predictions.ndjson.gz", data.length).orElseThrow().bytes());
    }

    /** The file store's copy is a second name of the same file: no write may reach one through the other. */
    @Test
    void aCopyKeepsItsBytesWhenEitherObjectIsWrittenAgain() {
        store.put("runs/r1/snapshot.ndjson.gz", bytes("first"), Precondition.NONE);
        store.copy("runs/r1/snapshot.ndjson.gz", "latest/predictions.ndjson.gz");
        store.copy("runs/r1/snapshot.ndjson.gz", "latest/predictions.ndjson.gz");  // the copy it already is
        store.put("runs/r1/snapshot.ndjson.gz", bytes("rewritten"), Precondition.NONE);
        assertArrayEquals(bytes("first"), store.read("latest/predictions.ndjson.gz", 100).orElseThrow().bytes());
        store.write("latest/predictions.ndjson.gz", out -> out.write(bytes("newer")));
        assertArrayEquals(bytes("rewritten"), store.read("runs/r1/snapshot.ndjson.gz", 100).orElseThrow().bytes());
        assertEquals(List.of("latest/predictions.ndjson.gz", "runs/r1/snapshot.ndjson.gz"), store.list(""));
    }

    @Test
    void listGivesSortedKeysUnderAPlainStringPrefix() {
        List<String> keys = new ArrayList<>(List.of("b/2", "a/1", "a/10", "a/2", "ab", "c", "a/sub/deep.json"));
        Collections.shuffle(keys, new Random(7));
        keys.forEach(k -> store.put(k, bytes(k), Precondition.NONE));
        assertEquals(List.of("a/1", "a/10", "a/2", "a/sub/deep.json"), store.list("a/"));
        assertEquals(List.of("a/1", "a/10", "a/2", "a/sub/deep.json", "ab"), store.list("a"));
        assertEquals(List.of("a/1", "a/10", "a/2", "a/sub/deep.json", "ab", "b/2", "c"), store.list(""));
        assertEquals(List.of(), store.list("zzz"));
    }

    @Test
    void listReturnsEveryKeyOfALongListing() {
        List<String> expected = IntStream.range(0, 23).mapToObj(i -> "runs/r%02d/fetch.json".formatted(i)).toList();
        expected.reversed().forEach(k -> store.put(k, bytes("{}"), Precondition.NONE));
        assertEquals(expected, store.list("runs/"));
    }

    @Test
    void keysMayHoldSpacesAndPunctuation() {
        String key = "odd/with space+plus%25&and=eq,ü#hash.json";
        store.put(key, bytes("x"), Precondition.NONE);
        assertTrue(store.exists(key));
        assertArrayEquals(bytes("x"), store.read(key, 10).orElseThrow().bytes());
        assertEquals(List.of(key), store.list("odd/"));
    }

    @Test
    void keysThatClimbOrAreNotRelativeAreUsageErrors() {
        store.put("a", bytes("source"), Precondition.NONE);
        for (String key : List.of("/abs", "a/../../b", "a//b", "dir/", "./a", "")) {
            assertUsage(() -> store.write(key, out -> out.write(1)));
            assertUsage(() -> store.put(key, bytes("x"), Precondition.ABSENT));
            assertUsage(() -> store.read(key, 10));
            assertUsage(() -> store.open(key));
            assertUsage(() -> store.exists(key));
            assertUsage(() -> store.copy("a", key));
        }
    }

    private static void assertUsage(Executable call) {
        assertEquals(ExitCode.USAGE, assertThrows(JobException.class, call).exitCode());
    }

    /** A body whose source breaks after some bytes, like an Elasticsearch scroll that times out. */
    static Body failingAfter(int size) {
        return out -> {
            out.write(random(size));
            throw new IOException("source stream broke");
        };
    }

    static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    static byte[] random(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return data;
    }
}
