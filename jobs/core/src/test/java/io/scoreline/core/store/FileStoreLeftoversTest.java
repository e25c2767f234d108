package io.scoreline.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a killed writer left behind is removed by the next write to that directory, a live writer's file never. */
class FileStoreLeftoversTest {
    @TempDir Path root;

    @Test
    void theNextWriteRemovesAbandonedTempFilesButNotRecentOnes() throws Exception {
        Path latest = Files.createDirectories(root.resolve("latest"));
        Path abandoned = Files.write(latest.resolve(".tmp-predictions.ndjson.gz-dead"), new byte[] {1, 2, 3});
        Files.setLastModifiedTime(abandoned,
            FileTime.from(Instant.now().minus(FileStore.ABANDONED_AFTER).minusSeconds(60)));
        Path live = Files.write(latest.resolve(".tmp-predictions.ndjson.gz-live"), new byte[] {4});

        new FileStore(root).put("latest/manifest.json", new byte[] {'{', '}'}, Precondition.NONE);

        assertFalse(Files.exists(abandoned), "a temp file nobody touched for an hour was left by a killed writer");
        assertTrue(Files.exists(live), "a recent temp file may belong to a concurrent writer");
    }

    @Test
    void aTempLinkToAnOldSnapshotIsNotTakenForAbandoned() throws Exception {
        Path snapshot = Files.write(Files.createDirectories(root.resolve("runs/r1")).resolve("snapshot.ndjson.gz"), new byte[] {1});
        Files.setLastModifiedTime(snapshot, FileTime.from(Instant.now().minus(FileStore.ABANDONED_AFTER).minusSeconds(60)));
        // a concurrent copy() between its link and its rename: the link has the snapshot's old mtime
        Path linking = Files.createLink(Files.createDirectories(root.resolve("latest")).resolve(".tmp-predictions.ndjson.gz-live"), snapshot);

        new FileStore(root).put("latest/manifest.json", new byte[] {'{', '}'}, Precondition.NONE);

        assertTrue(Files.exists(linking), "the link was made just now, whatever its file's mtime");
    }

    @Test
    void copyingWhatLatestAlreadyIsLeavesNoTempLink() throws Exception {
        var store = new FileStore(root);
        store.put("runs/r1/snapshot.ndjson.gz", new byte[] {1, 2}, Precondition.NONE);
        store.copy("runs/r1/snapshot.ndjson.gz", "latest/predictions.ndjson.gz");
        store.copy("runs/r1/snapshot.ndjson.gz", "latest/predictions.ndjson.gz");  // rename(2) of one file's two names does nothing
        try (var files = Files.list(root.resolve("latest"))) {
            assertEquals(List.of("predictions.ndjson.gz"), files.map(p -> p.getFileName().toString()).toList());
        }
    }
}
