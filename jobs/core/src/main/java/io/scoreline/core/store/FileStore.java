package io.scoreline.core.store;

import io.scoreline.core.error.Causes;
import io.scoreline.core.error.JobException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A directory with the same promises as S3: each object is written to a hidden temporary file, fsynced and renamed
 * into place atomically, so a reader sees the old bytes or the new ones. Version tags are the content's sha256.
 */
public final class FileStore implements ObjectStore {
    private static final String TEMP_PREFIX = ".tmp-";
    /** A live writer touches its temp file all the time; one untouched this long was left by a killed process. */
    static final Duration ABANDONED_AFTER = Duration.ofHours(1);
    private static final Object JVM_LOCK = new Object();
    private final Path root;

    public FileStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public String describe() {
        return root.toUri().toString();
    }

    /** A missing directory is a wrong --store (only CREATE makes one); a file or an unwritable directory too. */
    @Override
    public void check(Use use) {
        if (!Files.exists(root)) {
            if (use != Use.CREATE) {
                throw JobException.usage("store " + describe() + " does not exist: check --store (SCORELINE_STORE);"
                    + " 'predict.jar register' creates a new store");
            }
            try {
                Files.createDirectories(root);
            } catch (IOException e) {
                throw JobException.usage("cannot create the store " + describe() + ": " + Causes.describe(e));
            }
        }
        if (!Files.isDirectory(root)) throw JobException.usage("store " + describe() + " is not a directory: check --store (SCORELINE_STORE)");
        if (!Files.isReadable(root) || use != Use.READ && !Files.isWritable(root)) {
            throw JobException.usage("store " + describe() + " is not " + (use == Use.READ ? "readable" : "writable")
                + " by this user: fix its permissions or --store");
        }
    }

    @Override
    public InputStream open(String key) {
        try {
            return Files.newInputStream(path(key));
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(describe(), key);
        } catch (IOException e) {
            throw failure("read", key, e);
        }
    }

    @Override
    public Optional<Versioned> read(String key, long maxBytes) {
        Path file = path(key);
        try {
            long size = Files.size(file);
            if (size > maxBytes) {
                throw StoreException.tooLarge(key, size, maxBytes);
            }
            byte[] bytes = Files.readAllBytes(file);
            return Optional.of(new Versioned(bytes, Digests.sha256Hex(bytes)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw failure("read", key, e);
        }
    }

    @Override
    public StoredObject write(String key, Body body) {
        Path target = path(key);
        Path temp = null;
        try {
            Files.createDirectories(target.getParent());
            removeAbandonedTempFiles(target.getParent());
            temp = tempFor(target);
            var digest = Digests.sha256();
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 OutputStream out = new DigestOutputStream(new BufferedOutputStream(
                     java.nio.channels.Channels.newOutputStream(channel), 1 << 16), digest)) {
                body.writeTo(out);
                out.flush();
                channel.force(true);
            }
            long size = Files.size(temp);
            moveIntoPlace(temp, target);
            return new StoredObject(key, size, Digests.hex(digest.digest()));
        } catch (IOException e) {
            throw failure("write", key, e);
        } catch (UncheckedIOException e) {
            throw failure("write", key, e.getCause());
        } finally {
            deleteQuietly(temp);
        }
    }

    @Override
    public boolean etagIsSha256() {
        return true;
    }

    @Override
    public StoredObject put(String key, byte[] bytes, Precondition precondition) {
        if (precondition instanceof Precondition.None) return write(key, out -> out.write(bytes));
        // One lock file serializes conditional writers across processes (and a monitor within this JVM).
        synchronized (JVM_LOCK) {
            try {
                Files.createDirectories(root);
                try (FileChannel lockFile = FileChannel.open(root.resolve(".scoreline.lock"),
                         StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock ignored = lockFile.lock()) {
                    String current = read(key, Long.MAX_VALUE).map(Versioned::etag).orElse(null);
                    boolean holds = switch (precondition) {
                        case Precondition.Absent a -> current == null;
                        case Precondition.Matching m -> Objects.equals(m.etag(), current);
                        case Precondition.None n -> true;
                    };
                    if (!holds) throw new PreconditionFailedException(describe(), key);
                    return write(key, out -> out.write(bytes));
                }
            } catch (IOException e) {
                throw failure("lock", key, e);
            }
        }
    }

    /**
     * A second name for the source's file, put in place by the same atomic rename as a write: no object is ever
     * written in place (every write renames a new file over its key), so the two names never diverge by a write to
     * either, and a later write of the source key leaves this one with the old bytes. Saves the second write of a
     * whole snapshot on every publish. Bytes are copied where the file system has no hard links (or not across the
     * two directories). The etag is the source's sha256 when the caller gives it, else read from the bytes.
     */
    @Override
    public StoredObject copy(String fromKey, String toKey) {
        return copy(fromKey, toKey, null);
    }

    @Override
    public StoredObject copy(String fromKey, String toKey, String sha256) {
        Path source = path(fromKey);
        Path target = path(toKey);
        if (!Files.isRegularFile(source)) throw new ObjectNotFoundException(describe(), fromKey);
        Path temp = null;
        try {
            Files.createDirectories(target.getParent());
            removeAbandonedTempFiles(target.getParent());
            temp = tempFor(target);
            if (!link(temp, source, fromKey)) return write(toKey, out -> Files.copy(source, out));
            long size = Files.size(temp);
            String etag = sha256 != null ? sha256 : sha256Hex(temp);
            // rename(2) over a name of the same file does nothing: the target already holds these bytes
            moveIntoPlace(temp, target);
            return new StoredObject(toKey, size, etag);
        } catch (IOException e) {
            throw failure("copy '" + fromKey + "' to", toKey, e);
        } finally {
            deleteQuietly(temp);
        }
    }

    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(path(key));
    }

    @Override
    public List<String> list(String prefix) {
        List<String> keys = new ArrayList<>();
        if (!Files.isDirectory(root)) return keys;
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(Files::isRegularFile)
                .filter(p -> !p.getFileName().toString().startsWith("."))
                .map(p -> root.relativize(p).toString().replace('\\', '/'))
                .filter(k -> k.startsWith(prefix))
                .sorted()
                .forEach(keys::add);
        } catch (IOException | UncheckedIOException e) {
            throw new StoreException("cannot list '" + prefix + "' in " + describe() + ": " + e.getMessage(), e);
        }
        return keys;
    }

    @Override
    public List<Listed> listWithTimes(String prefix) {
        List<Listed> listed = new ArrayList<>();
        for (String key : list(prefix)) {
            try {
                listed.add(new Listed(key, Files.getLastModifiedTime(root.resolve(key)).toInstant()));
            } catch (java.nio.file.NoSuchFileException gone) {
                // removed since the listing: not there any more
            } catch (IOException e) {
                throw new StoreException("cannot list '" + prefix + "' in " + describe() + ": " + e.getMessage(), e);
            }
        }
        return listed;
    }

    private Path path(String key) {
        Keys.check(key);
        return root.resolve(key);
    }

    private static Path tempFor(Path target) {
        return target.resolveSibling(TEMP_PREFIX + target.getFileName() + "-" + UUID.randomUUID());
    }

    /** False where the file system cannot link these two names (no hard links, or two devices). */
    private boolean link(Path link, Path existing, String existingKey) {
        try {
            Files.createLink(link, existing);
            return true;
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(describe(), existingKey);
        } catch (UnsupportedOperationException | FileSystemException e) {
            return false;
        } catch (IOException e) {
            throw failure("link '" + existingKey + "' to", link.getFileName().toString(), e);
        }
    }

    private static String sha256Hex(Path file) throws IOException {
        var digest = Digests.sha256();
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            var buffer = java.nio.ByteBuffer.allocate(1 << 16);
            while (in.read(buffer.clear()) >= 0) digest.update(buffer.flip());
        }
        return Digests.hex(digest.digest());
    }

    private static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system under " + target.getParent() + " cannot rename atomically", e);
        }
        try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
            dir.force(true); // make the rename itself durable
        } catch (IOException ignored) {
            // some file systems cannot fsync a directory; the rename is still atomic
        }
    }

    /** Temp files of killed writers in this directory; never a recent one, which a concurrent writer may still own. */
    private static void removeAbandonedTempFiles(Path dir) {
        FileTime cutoff = FileTime.from(Instant.now().minus(ABANDONED_AFTER));
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(p -> p.getFileName().toString().startsWith(TEMP_PREFIX))
                .filter(p -> lastChanged(p).compareTo(cutoff) < 0)
                .forEach(FileStore::deleteQuietly);
        } catch (IOException | UncheckedIOException ignored) {
            // best effort: leftovers are hidden from list() and cost only space
        }
    }

    /**
     * When a temp file was last touched. A temp link to a snapshot (a second name: {@link #copy}) keeps the snapshot's
     * mtime, which may be days old; linking it set the file's ctime to now, so for those the ctime tells.
     */
    private static FileTime lastChanged(Path p) {
        try {
            if ((Integer) Files.getAttribute(p, "unix:nlink") > 1) return (FileTime) Files.getAttribute(p, "unix:ctime");
        } catch (UnsupportedOperationException | IllegalArgumentException noUnixView) {
            // no links to tell apart on such a system: copy() wrote bytes there
        } catch (IOException e) {
            return FileTime.from(Instant.now()); // gone or unreadable: leave it
        }
        return lastModified(p);
    }

    private static FileTime lastModified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.from(Instant.now()); // gone or unreadable: leave it
        }
    }

    private StoreException failure(String action, String key, Throwable e) {
        return new StoreException("cannot " + action + " '" + key + "' in " + describe() + ": " + Causes.describe(e), e);
    }

    private static void deleteQuietly(Path temp) {
        if (temp == null) return;
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // a leftover hidden temp file is harmless: list() skips it
        }
    }
}
