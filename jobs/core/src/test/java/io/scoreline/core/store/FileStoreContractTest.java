package io.scoreline.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

class FileStoreContractTest extends ObjectStoreContract {
    @TempDir Path dir;

    @Override
    ObjectStore newStore() {
        return new FileStore(dir.resolve("store"));
    }

    @Override
    void assertNoLeftovers() throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().startsWith(".tmp-")).toList());
        }
    }
}
