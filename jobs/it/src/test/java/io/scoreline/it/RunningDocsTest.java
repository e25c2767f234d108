package io.scoreline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/running.md: linked from the README, its links resolve, and the systemd units it ships pass systemd-analyze. */
class RunningDocsTest {
    private static final Path DOC = Jobs.ROOT.resolve("docs/running.md");
    private static final Path UNITS = Jobs.ROOT.resolve("deploy/systemd");

    @Test
    void isLinkedFromTheReadmeAndEveryLinkResolves() throws Exception {
        assertTrue(Files.readString(Jobs.ROOT.resolve("README.md")).contains("(docs/running.md)"), "README links docs/running.md");
        String doc = Files.readString(DOC);
        Matcher link = Pattern.compile("\\]\\(([^)#:]+)(#[^)]*)?\\)").matcher(doc);
        List<String> missing = new ArrayList<>();
        while (link.find()) {
            if (!Files.exists(DOC.getParent().resolve(link.group(1)).normalize())) missing.add(link.group(1));
        }
        assertEquals(List.of(), missing, "links in docs/running.md that point nowhere");
        try (var units = Files.list(UNITS)) {
            for (Path unit : units.toList()) {
                assertTrue(doc.contains("deploy/systemd/" + unit.getFileName()), "docs/running.md names " + unit.getFileName());
            }
        }
    }

    @Test
    void theSystemdUnitsVerify() throws Exception {
        assumeTrue(onPath("systemd-analyze"), "systemd-analyze is not installed here");
        // verify also checks that ExecStart's program exists: the cycle script is installed by the operator, not here
        Path dir = Files.createTempDirectory("scoreline-units-");
        List<String> command = new ArrayList<>(List.of("systemd-analyze", "verify"));
        try (var units = Files.list(UNITS)) {
            for (Path unit : units.toList()) {
                String text = Files.readString(unit).replace("ExecStart=/opt/scoreline/bin/scoreline-cycle.sh", "ExecStart=/bin/true");
                Files.writeString(dir.resolve(unit.getFileName()), text);
                command.add(dir.resolve(unit.getFileName()).toString());
            }
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertEquals("", out.strip(), "systemd-analyze verify has no complaints");
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) return true;
        }
        return false;
    }
}
