package io.scoreline.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the built jars exactly as a user does: {@code java -jar dist/<job>.jar …}, in a fresh JVM. */
final class Jobs {
    static final Path ROOT = findRoot();
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    private static final String DEFAULT_HEAP = "512m";

    private Jobs() {}

    record Result(int exit, String out, String err) {
        List<String> errLines() {
            return err.lines().filter(l -> !l.matches("^\\d{4}-\\d\\d-\\d\\dT.*")).toList(); // without log lines
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static Result run(Map<String, String> env, String job, String... args) {
        return runWithHeap(DEFAULT_HEAP, env, job, args);
    }

    /** The same with the given maximum heap, e.g. 64m. */
    static Result runWithHeap(String maxHeap, Map<String, String> env, String job, String... args) {
        try {
            Process p = start(maxHeap, env, job, args);
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError(job + " did not finish in 5 minutes");
            }
            Result result = new Result(p.exitValue(), read(p.getInputStream()), read(p.getErrorStream()));
            List<String> leaked = TestSecrets.foundIn(result.out() + result.err());
            if (!leaked.isEmpty()) throw new AssertionError(job + " printed test credentials " + leaked + ":\n" + result);
            return result;
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("cannot run " + job + ": " + e, e);
        }
    }

    static Process start(Map<String, String> env, String job, String... args) throws IOException {
        return start(DEFAULT_HEAP, env, job, args);
    }

    private static Process start(String maxHeap, Map<String, String> env, String job, String... args) throws IOException {
        Path jar = ROOT.resolve("dist").resolve(job + ".jar");
        if (!Files.isRegularFile(jar)) throw new AssertionError(jar + " is missing: run the tests through 'make test' (mvnw verify)");
        // A class-data archive per jar and C1 only: the suite starts a few hundred short JVMs.
        Path cds = ROOT.resolve("jobs/it/target/cds/" + job + ".jsa");
        Files.createDirectories(cds.getParent());
        List<String> command = new ArrayList<>(List.of(JAVA, "-Xmx" + maxHeap, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + cds, "-Xlog:cds=off", "-Xlog:cds+dynamic=off",
            "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile());
        Map<String, String> processEnv = pb.environment();
        processEnv.keySet().removeIf(k -> k.startsWith("SCORELINE_")); // only what the test says
        processEnv.putAll(env);
        return pb.start();
    }

    static Map<String, String> env(Map<String, String> base, String... pairs) {
        Map<String, String> env = new HashMap<>(base);
        for (int i = 0; i < pairs.length; i += 2) env.put(pairs[i], pairs[i + 1]);
        return env;
    }

    private static String read(java.io.InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    private static Path findRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("mvnw"))) dir = dir.getParent();
        if (dir == null) throw new IllegalStateException("cannot find the repository root (mvnw) above " + Path.of("").toAbsolutePath());
        return dir;
    }
}
