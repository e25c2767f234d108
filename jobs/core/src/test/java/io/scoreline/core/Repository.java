package io.scoreline.core;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's own files, for tests that check the code against the docs and the DAGs. */
public final class Repository {
    private Repository() {}

    public static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("jobs/core")) && Files.exists(p.resolve("pom.xml"))) return p;
        }
        return fail("run from inside the repository");
    }

    public static Path file(String relative) {
        return root().resolve(relative);
    }
}
