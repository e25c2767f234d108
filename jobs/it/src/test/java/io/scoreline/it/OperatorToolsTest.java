package io.scoreline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What an operator asks of the jars themselves: their version and commit, shell completion, a clear word on old Java. */
class OperatorToolsTest {
    @ParameterizedTest
    @ValueSource(strings = {"fetch", "predict", "publish"})
    void versionNamesTheCommit(String job) {
        Jobs.Result r = Jobs.run(Map.of(), job, "--version");
        assertEquals(0, r.exit(), r.toString());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).matches("Scoreline \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), r.toString());
        assertTrue(lines.get(1).matches("commit ([0-9a-f]{7,}( with uncommitted changes)?, committed \\d{4}-\\d\\d-\\d\\dT\\S+"
            + "|unknown, committed unknown)"), r.toString());
        assertTrue(lines.get(2).startsWith("Java "), r.toString());
    }

    @Test
    void completionScriptKnowsTheSubcommandsAndOptions() {
        Jobs.Result r = Jobs.run(Map.of(), "predict", "generate-completion");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("complete -F") && r.out().contains("models") && r.out().contains("--model-dir"), r.out());
        Jobs.Result help = Jobs.run(Map.of(), "predict", "--help");
        assertTrue(!help.out().contains("generate-completion"), "hidden from the help: " + help.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"fetch", "predict", "predict train", "predict register", "predict models list",
        "predict models show", "predict models promote", "publish", "publish status", "publish fallback", "publish rollback", "publish runs"})
    void helpLabelsValuesByKindAndEndsWithTheExitCodes(String command) {
        String[] words = command.split(" ");
        String[] args = java.util.Arrays.copyOf(java.util.Arrays.copyOfRange(words, 1, words.length), words.length);
        args[words.length - 1] = "--help";
        Jobs.Result r = Jobs.run(Map.of(), words[0], args);
        assertEquals(0, r.exit(), r.toString());
        assertTrue(!r.out().matches("(?s).*<[a-z]+[A-Z]\\w*>.*"), "a Java field name as a label: " + r.out());
        assertTrue(r.out().contains("Exit codes (one table for every job):"), r.out());
    }

    @Test
    void anOlderJavaGetsOneLineAndExit2() throws Exception {
        Optional<Path> old = olderJava();
        assumeTrue(old.isPresent(), "no Java older than 21 under /usr/lib/jvm");
        for (String job : List.of("fetch", "predict", "publish")) {
            Process p = new ProcessBuilder(old.get().toString(), "-jar", Jobs.ROOT.resolve("dist/" + job + ".jar").toString(), "--version")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(2, p.exitValue(), err);
            assertEquals(1, err.lines().count(), err);
            assertTrue(err.startsWith(job + ": error: needs Java 21 or newer, but "), err);
            assertTrue(!err.contains("UnsupportedClassVersionError") && !err.contains("Exception"), err);
        }
    }

    private static Optional<Path> olderJava() throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) return Optional.empty();
        try (Stream<Path> homes = Files.list(jvms)) {
            return homes.filter(h -> h.getFileName().toString().matches(".*\\b(1\\.8|8|11|17)\\b.*"))
                .map(h -> h.resolve("bin/java")).filter(Files::isExecutable).findFirst();
        }
    }
}
