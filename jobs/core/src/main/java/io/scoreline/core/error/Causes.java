package io.scoreline.core.error;

import java.io.FileNotFoundException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * A low-level failure (file system, network) in the words of {@code ls} and {@code curl}, for one-line errors:
 * never the exception's class name, which means nothing to the person who reads the line.
 */
public final class Causes {
    private Causes() {}

    public static String describe(Throwable e) {
        Throwable t = innermostKnown(e);
        String detail = t.getMessage() == null ? "" : t.getMessage();
        return switch (t) {
            case NoSuchFileException f -> "no such file or directory: " + f.getFile();
            case AccessDeniedException f -> "permission denied: " + f.getFile();
            case NotDirectoryException f -> "not a directory: " + f.getFile();
            case FileAlreadyExistsException f -> "already exists: " + f.getFile();
            case DirectoryNotEmptyException f -> "directory not empty: " + f.getFile();
            case FileSystemException f -> (f.getReason() == null ? "file system error" : f.getReason())
                + (f.getFile() == null ? "" : ": " + f.getFile());
            case FileNotFoundException f -> detail.isEmpty() ? "file not found" : detail;
            case ConnectException c -> "connection refused";
            case UnknownHostException u -> "unknown host " + detail;
            case NoRouteToHostException n -> "no route to host";
            case SocketTimeoutException s -> "timed out";
            default -> detail.isBlank() || detail.matches("(?s).*\\b[a-z]+(\\.[a-z0-9_]+)+\\.[A-Z]\\w*.*") ? "I/O error" : detail;
        };
    }

    /** The deepest cause of a kind this class can name; else the outermost. */
    private static Throwable innermostKnown(Throwable e) {
        Throwable found = e;
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof FileSystemException || t instanceof FileNotFoundException || t instanceof ConnectException
                || t instanceof UnknownHostException || t instanceof NoRouteToHostException || t instanceof SocketTimeoutException) {
                found = t;
            }
        }
        return found;
    }
}
