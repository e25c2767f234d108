package io.scoreline.model;

import io.scoreline.core.error.Causes;
import io.scoreline.core.error.JobException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;

/**
 * Java deserialization of model bytes, limited to an allow-list of classes and to what the bytes can honestly hold: a
 * model file from an untrusted place cannot instantiate anything but Smile's model classes and plain JDK values, cannot
 * make the reader allocate more than its own size, and cannot nest hashed collections deep enough to make rebuilding
 * their hashes take forever ("SerialDOS").
 */
public final class SafeDeserializer {
    static final String ALLOWED = "maxdepth=200;"
        + "smile.**;java.lang.Number;java.lang.Integer;java.lang.Long;java.lang.Double;java.lang.Float;java.lang.Short;"
        + "java.lang.Byte;java.lang.Boolean;java.lang.Character;java.lang.String;java.lang.Enum;java.lang.Record;"
        + "java.util.ArrayList;java.util.HashMap;java.util.LinkedHashMap;java.util.TreeMap;java.util.HashSet;"
        + "java.util.LinkedHashSet;java.util.BitSet;java.util.Arrays$ArrayList;java.util.Collections$*;"
        + "java.util.ImmutableCollections$*;java.util.CollSer;java.util.Properties;java.util.Hashtable;"
        + "java.util.Optional;java.math.BigDecimal;java.math.BigInteger;java.util.Map$Entry;java.lang.Object;!*";
    private static final ObjectInputFilter FILTER = ObjectInputFilter.Config.createFilter(ALLOWED);
    /**
     * Hashed collections rehash their elements while being read, so nested n deep they cost up to 2^n hash calls. Each
     * one asks the filter about its table (an array of {@code Map.Entry}) at its own depth, instance by instance.
     */
    private static final Class<?> HASH_TABLE = java.util.Map.Entry[].class;
    /** Smile keeps its few maps near the top of a model (schema, formula); 2^20 hash calls take well under a second. */
    static final long MAX_HASHED_DEPTH = 20;

    private SafeDeserializer() {}

    public static Object read(byte[] bytes, String what) {
        String[] refused = new String[1];
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            in.setObjectInputFilter(info -> {
                var status = withinSize(info, bytes.length) ? FILTER.checkInput(info) : ObjectInputFilter.Status.REJECTED;
                if (status == ObjectInputFilter.Status.REJECTED && refused[0] == null) {
                    refused[0] = !withinSize(info, bytes.length) || info.serialClass() == null ? "" : info.serialClass().getName();
                }
                return status;
            });
            return in.readObject();
        } catch (InvalidClassException e) {
            throw JobException.model(what + " holds " + (refused[0] == null || refused[0].isEmpty() ? "data beyond the size limits"
                : "class " + refused[0] + ", outside the deserialization allow-list: only Smile models and plain JDK values"
                    + " can be loaded"), e);
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            throw JobException.model(what + " is not a readable Smile model (" + Causes.describe(e) + "); was it written by a different"
                + " Smile version? Retrain and register it again", e);
        }
    }

    /**
     * Every array element and every object reference takes at least one byte of the stream, so a count beyond the
     * stream's length is a lie told to make the reader allocate: refused before anything is allocated.
     */
    private static boolean withinSize(ObjectInputFilter.FilterInfo info, long streamLength) {
        if (info.arrayLength() > streamLength || info.references() > streamLength) return false;
        return info.serialClass() != HASH_TABLE || info.depth() <= MAX_HASHED_DEPTH;
    }
}
