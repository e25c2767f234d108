package io.scoreline.core.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
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
}
