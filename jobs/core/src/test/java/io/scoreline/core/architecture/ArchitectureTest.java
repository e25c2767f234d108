package io.scoreline.core.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoreline.core.Repository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package layout is the architecture: domain code (store, records, runs, models, sources) knows nothing of the
 * command line, option classes only describe settings, and the model code (embedded by the service) stays free of
 * the jobs. Read from every module's main sources, so one test guards the whole repository.
 */
class ArchitectureTest {
    /** Option classes allowed to build a client while they wait for their factory: none left; keep it so. */
    private static final Set<String> KNOWN_CLIENT_BUILDING_OPTIONS = Set.of();

    private static final List<Source> SOURCES = sources();

    @Test
    void theScanSeesEveryModule() {
        for (String pkg : List.of("io.scoreline.core.", "io.scoreline.model.", "io.scoreline.source.", "io.scoreline.fetch.",
                "io.scoreline.predict.", "io.scoreline.publish.", "io.scoreline.serve.")) {
            assertTrue(SOURCES.stream().anyMatch(s -> s.name.startsWith(pkg)), "no sources of " + pkg);
        }
    }

    @Test
    void domainCodeDoesNotImportTheCommandLine() {
        assertNone(s -> !s.isCliEdge() && s.imports("picocli.", "io.scoreline.core.cli."),
            "domain classes importing picocli or io.scoreline.core.cli (map failures at the edge, declare options in *Options)");
    }

    @Test
    void optionClassesOnlyDescribeSettings() {
        Pattern client = Pattern.compile("\\b(\\w+Clients\\.|new Cluster\\(|S3Client\\b|HttpClient\\b|RestClient\\b)");
        Predicate<Source> buildsClients = s -> s.name.endsWith("Options")
            && (s.imports("software.amazon.", "co.elastic.", "org.apache.hc.", "java.net.http.") || client.matcher(s.code).find());
        assertNone(buildsClients.and(s -> !KNOWN_CLIENT_BUILDING_OPTIONS.contains(s.name)),
            "option classes building clients (options describe settings; a factory builds the client)");
        for (String known : KNOWN_CLIENT_BUILDING_OPTIONS) {
            assertTrue(SOURCES.stream().anyMatch(s -> s.name.equals(known) && buildsClients.test(s)),
                known + " no longer builds a client: remove it from KNOWN_CLIENT_BUILDING_OPTIONS");
        }
    }

    @Test
    void modelCodeIsFreeOfTheJobsAndTheirOptions() {
        assertNone(s -> s.name.startsWith("io.scoreline.model.") && (s.imports("picocli.", "io.scoreline.core.cli.",
                "io.scoreline.fetch.", "io.scoreline.predict.", "io.scoreline.publish.", "io.scoreline.serve.", "software.amazon.",
                "org.slf4j.simple.")
                || s.importsMatching("io\\.scoreline\\.core\\.\\w+\\.\\w+Options")),
            "model classes importing the jobs, the command line, option classes or the S3 SDK");
    }

    @Test
    void coreImportsNoJob() {
        assertNone(s -> s.name.startsWith("io.scoreline.core.")
                && s.imports("io.scoreline.model.", "io.scoreline.source.", "io.scoreline.fetch.", "io.scoreline.predict.",
                    "io.scoreline.publish.", "io.scoreline.serve."),
            "core classes importing a job module");
    }

    @Test
    void onlyTheEdgeExits() {
        assertNone(s -> s.code.contains("System.exit(") && !s.name.equals("io.scoreline.core.cli.JobRunner"),
            "classes calling System.exit (only JobRunner exits)");
    }

    private static void assertNone(Predicate<Source> breach, String what) {
        List<String> found = SOURCES.stream().filter(breach).map(s -> s.name).sorted().toList();
        assertEquals(List.of(), found, what);
    }

    private record Source(String name, String code, List<String> imports) {
        private static final Pattern IMPORT = Pattern.compile("(?m)^import\\s+(?:static\\s+)?([\\w.]+)");

        static Source read(Path root, Path file) {
            try {
                String code = Files.readString(file);
                String name = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), ".")
                    .replaceFirst("\\.java$", "");
                Matcher m = IMPORT.matcher(code);
                List<String> imports = m.results().map(r -> r.group(1)).toList();
                return new Source(name, code, imports);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The command-line edge: cli packages, commands, option and mixin classes. */
        boolean isCliEdge() {
            String simple = name.substring(name.lastIndexOf('.') + 1);
            return name.contains(".cli.") || simple.endsWith("Command") || simple.endsWith("Options")
                || simple.endsWith("Option") || simple.endsWith("Mixin");
        }

        boolean imports(String... prefixes) {
            return imports.stream().anyMatch(i -> Stream.of(prefixes).anyMatch(i::startsWith));
        }

        boolean importsMatching(String regex) {
            return imports.stream().anyMatch(i -> i.matches(regex));
        }
    }

    private static List<Source> sources() {
        Path jobs = Repository.file("jobs");
        try (Stream<Path> modules = Files.list(jobs)) {
            return modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory)
                .flatMap(ArchitectureTest::javaFiles).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Stream<Source> javaFiles(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".java") && !f.endsWith("package-info.java"))
                .map(f -> Source.read(root, f)).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
