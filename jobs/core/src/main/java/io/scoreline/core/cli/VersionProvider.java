package io.scoreline.core.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** Reads the version and the commit Maven filtered into {@code scoreline-version.properties}. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
        Properties p = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("/scoreline-version.properties")) {
            if (in != null) p.load(in);
        }
        return new String[] {
            "Scoreline " + p.getProperty("version", "unknown"),
            "commit " + known(p, "commit") + ("true".equals(p.getProperty("dirty")) ? " with uncommitted changes" : "")
                + ", committed " + known(p, "commit_time"),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
        };
    }

    /** A property Maven left unfiltered (built outside a git checkout) reads "unknown". */
    private static String known(Properties p, String key) {
        String value = p.getProperty(key, "");
        return value.isBlank() || value.startsWith("${") ? "unknown" : value;
    }
}
