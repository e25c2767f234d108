package io.scoreline.model;

import io.scoreline.core.error.JobException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;

/**
 * Java deserialization of model bytes, limited to an allow-list of classes: a model file from an untrusted place
 * cannot instantiate anything but Smile's model classes and plain JDK values.
 */
public final class SafeDeserializer {
    static final String ALLOWED = "maxdepth=200;maxrefs=10000000;maxarray=100000000;"
        + "smile.**;java.lang.Number;java.lang.Integer;java.lang.Long;java.lang.Double;java.lang.Float;java.lang.Short;"
        + "java.lang.Byte;java.lang.Boolean;java.lang.Character;java.lang.String;java.lang.Enum;java.lang.Record;"
        + "java.util.ArrayList;java.util.HashMap;java.util.LinkedHashMap;java.util.TreeMap;java.util.HashSet;"
        + "java.util.LinkedHashSet;java.util.BitSet;java.util.Arrays$ArrayList;java.util.Collections$*;"
        + "java.util.ImmutableCollections$*;java.util.CollSer;java.util.Properties;java.util.Hashtable;"
        + "java.util.Optional;java.math.BigDecimal;java.math.BigInteger;java.util.Map$Entry;java.lang.Object;!*";
    private static final ObjectInputFilter FILTER = ObjectInputFilter.Config.createFilter(ALLOWED);

    private SafeDeserializer() {}

    public static Object read(byte[] bytes, String what) {
        String[] refused = new String[1];
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            in.setObjectInputFilter(info -> {
                var status = FILTER.checkInput(info);
                if (status == ObjectInputFilter.Status.REJECTED && info.serialClass() != null) refused[0] = info.serialClass().getName();
                return status;
            });
            return in.readObject();
        } catch (InvalidClassException e) {
            throw JobException.model(what + " holds " + (refused[0] == null ? "data beyond the size limits" : "class " + refused[0])
                + ", outside the deserialization allow-list: only Smile models and plain JDK values can be loaded", e);
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            throw JobException.model(what + " is not a readable Smile model (" + e + "); was it written by a different"
                + " Smile version? Retrain and register it again", e);
        }
    }
}
