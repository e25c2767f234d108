package io.scoreline.core.launch;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.util.jar.Attributes;
import java.util.jar.Manifest;

/**
 * Every jar's Main-Class, compiled for Java 8 so that an older {@code java} can load it: on Java &lt; 21 it prints one
 * line instead of an UnsupportedClassVersionError and exits 2 (a configuration error, not retried); otherwise it hands
 * over to the job's own main class, named by the manifest's Scoreline-Main.
 */
public final class Launcher {
    static final int MIN_JAVA = 21;

    private Launcher() {}

    public static void main(String[] args) throws Throwable {
        Attributes manifest = manifest();
        String job = String.valueOf(manifest.getValue("Implementation-Title")).replaceFirst("^scoreline-", "");
        String version = System.getProperty("java.specification.version", "0");
        if (feature(version) < MIN_JAVA) {
            System.err.println(job + ": error: needs Java " + MIN_JAVA + " or newer, but " + System.getProperty("java.home")
                + " is Java " + version + "; run it with a JDK " + MIN_JAVA + "+ (scripts/find-java.sh finds one)");
            System.exit(2);
        }
        try {
            Class.forName(manifest.getValue("Scoreline-Main")).getMethod("main", String[].class).invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** "1.8" is 8, "17" is 17, "21.0.2" is 21. */
    static int feature(String specificationVersion) {
        String v = specificationVersion.startsWith("1.") ? specificationVersion.substring(2) : specificationVersion;
        try {
            return Integer.parseInt(v.split("\\.")[0]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Attributes manifest() throws IOException {
        try (InputStream in = Launcher.class.getResourceAsStream("/META-INF/MANIFEST.MF")) {
            if (in == null) throw new IllegalStateException("run the job as java -jar <job>.jar");
            return new Manifest(in).getMainAttributes();
        }
    }
}
