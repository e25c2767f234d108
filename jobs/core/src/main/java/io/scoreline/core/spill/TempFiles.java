package io.scoreline.core.spill;

import io.scoreline.core.error.ExitCode;
import io.scoreline.core.error.JobException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job's temporary files, in a directory of their own under {@code parent}: created with the first file (a run that
 * fits in memory touches no disk) and deleted whole on close, whether the job succeeded or failed.
 */
public final class TempFiles implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TempFiles.class);
    private final Path parent;
    private Path dir;
    private int created;

    public TempFiles(Path parent) {
        this.parent = parent;
    }

    /** Fails at once, before any work, when the directory cannot take temporary files. */
    public static TempFiles checked(Path parent) {
        if (!Files.isDirectory(parent) || !Files.isWritable(parent)) {
            throw JobException.usage("temporary directory " + parent + " is not a writable directory: create it or choose another");
        }
        return new TempFiles(parent);
    }

    /** A new empty file; {@code name} says what it holds. */
    public synchronized Path create(String name) {
        try {
            if (dir == null) dir = Files.createTempDirectory(parent, "scoreline-");
            return Files.createFile(dir.resolve(name + "-" + created++));
        } catch (IOException e) {
            throw failed(e);
        }
    }

    /** A failure to write or read a temporary file, in the user's terms: the local disk, not the run's data. */
    public JobException failed(IOException cause) {
        return new JobException(ExitCode.USAGE, "cannot use temporary files in " + parent + " (" + cause.getMessage()
            + "): free space there or choose another directory", cause);
    }

    /** Whether any file was created (for tests and logs: a run that fitted in memory made none). */
    public synchronized boolean used() {
        return dir != null;
    }

    /** Deletes every file; one that cannot be deleted is a warning, not a failure: the job's output is already whole. */
    @Override
    public synchronized void close() {
        if (dir == null) return;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("cannot delete the temporary files in {}: {}; delete them by hand", dir, e.getMessage());
        }
        dir = null;
    }
}
