package io.scoreline.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoreline.core.error.ExitCode;
import io.scoreline.core.error.JobException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import smile.classification.LogisticRegression;

/** Model bytes may come from anywhere: only Smile classes and plain JDK values may be instantiated. */
class SafeDeserializerTest {

    /** Stands in for a gadget class: anything serializable outside the allow-list. */
    static final class Gadget implements Serializable {
        static boolean deserialized;
        final String command = "rm -rf /";

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            deserialized = true;
        }
    }

    private static byte[] serialize(Object value) throws IOException {
        var bytes = new ByteArrayOutputStream();
        try (var out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    private static JobException refusal(Object value) throws IOException {
        byte[] bytes = serialize(value);
        return assertThrows(JobException.class, () -> SafeDeserializer.read(bytes, "model m/v1"));
    }

    @Test
    void refusesAClassOutsideTheAllowList() throws IOException {
        Gadget.deserialized = false;
        JobException e = refusal(new Gadget());
        assertEquals(ExitCode.MODEL_INVALID, e.exitCode());
        assertEquals(5, e.exitCode().code());
        assertTrue(e.getMessage().startsWith("model m/v1 holds class " + Gadget.class.getName() + ", outside the deserialization allow-list"),
            e.getMessage());
        assertEquals(false, Gadget.deserialized);
    }

    @Test
    void refusesAForbiddenClassNestedInAllowedCollections() throws IOException {
        Map<String, Object> map = new HashMap<>();
        map.put("list", new ArrayList<>(List.of("fine", 1, new Gadget())));
        JobException e = refusal(map);
        assertEquals(ExitCode.MODEL_INVALID, e.exitCode());
        assertTrue(e.getMessage().contains("class " + Gadget.class.getName()), e.getMessage());
    }

    @Test
    void refusesJdkClassesThatAreNotPlainValues() throws IOException {
        JobException e = refusal(new Date(0));
        assertEquals(ExitCode.MODEL_INVALID, e.exitCode());
        assertTrue(e.getMessage().contains("class java.util.Date"), e.getMessage());
    }

    @Test
    void acceptsPlainJdkValues() throws IOException {
        Map<String, Object> map = new HashMap<>(Map.of("a", 1, "b", 2.5, "c", "text"));
        assertEquals(map, SafeDeserializer.read(serialize(map), "values"));
        assertArrayEquals(new double[] {1, 2}, (double[]) SafeDeserializer.read(serialize(new double[] {1, 2}), "array"));
    }

    @Test
    void acceptsASmileModelThatStillPredictsTheSame() throws IOException {
        double[][] x = new double[40][];
        int[] y = new int[40];
        for (int i = 0; i < x.length; i++) {
            x[i] = new double[] {i / 40.0, (i % 7) / 7.0};
            y[i] = i < 20 ? 0 : 1;
        }
        LogisticRegression model = LogisticRegression.fit(x, y, new LogisticRegression.Options(0.1, 1e-5, 500));
        Object read = SafeDeserializer.read(serialize(model), "model m/v1");
        LogisticRegression back = assertInstanceOf(LogisticRegression.class, read);
        for (double[] row : x) assertEquals(model.predict(row), back.predict(row));
        assertEquals(0, back.predict(new double[] {0.05, 0.5}));
        assertEquals(1, back.predict(new double[] {0.95, 0.5}));
    }

    /** "SerialDOS": sets nested 100 deep, each holding two sets; rebuilding their hashes takes about 2^100 steps. */
    @Test
    void refusesDeeplyNestedHashedCollectionsBeforeHashingThem() throws IOException {
        Set<Object> root = new HashSet<>();
        Set<Object> s1 = root;
        Set<Object> s2 = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            Set<Object> t1 = new HashSet<>();
            Set<Object> t2 = new HashSet<>();
            t1.add("foo");
            s1.add(t1);
            s1.add(t2);
            s2.add(t1);
            s2.add(t2);
            s1 = t1;
            s2 = t2;
        }
        byte[] bytes = serialize(root);
        // The guard only turns a hang into a failure; the assertion is the refusal itself.
        JobException e = assertTimeoutPreemptively(Duration.ofMinutes(2),
            () -> assertThrows(JobException.class, () -> SafeDeserializer.read(bytes, "model m/v1")));
        assertEquals(ExitCode.MODEL_INVALID, e.exitCode());
        assertTrue(e.getMessage().startsWith("model m/v1 holds data beyond the size limits"), e.getMessage());
    }

    /** A few bytes that declare an array of 100 million longs must be refused before the 800 MB are allocated. */
    @Test
    void refusesAnArrayLongerThanTheBytesThatCouldHoldIt() throws IOException {
        byte[] bytes = serialize(new long[0]);
        java.nio.ByteBuffer.wrap(bytes).putInt(bytes.length - 4, 100_000_000);
        assertTrue(bytes.length < 40, "a tiny file: " + bytes.length);
        JobException e = assertThrows(JobException.class, () -> SafeDeserializer.read(bytes, "model m/v1"));
        assertEquals(ExitCode.MODEL_INVALID, e.exitCode());
        assertTrue(e.getMessage().startsWith("model m/v1 holds data beyond the size limits"), e.getMessage());
    }

    @Test
    void acceptsAnArrayTheBytesDoHold() throws IOException {
        long[] values = new long[1000];
        java.util.Arrays.fill(values, 7);
        assertArrayEquals(values, (long[]) SafeDeserializer.read(serialize(values), "array"));
    }

    @Test
    void garbageIsAnUnreadableModel() {
        JobException e = assertThrows(JobException.class, () -> SafeDeserializer.read(new byte[] {1, 2, 3, 4, 5}, "model m/v1"));
        assertEquals(ExitCode.MODEL_INVALID, e.exitCode());
        assertTrue(e.getMessage().startsWith("model m/v1 is not a readable Smile model (invalid stream header: "), e.getMessage());
        assertTrue(!e.getMessage().contains("java.") && !e.getMessage().contains("Exception"), e.getMessage());
    }

    @Test
    void truncatedModelIsAnUnreadableModel() throws IOException {
        byte[] bytes = serialize(new ArrayList<>(List.of("a", "b", "c")));
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 3);
        assertEquals(ExitCode.MODEL_INVALID, assertThrows(JobException.class, () -> SafeDeserializer.read(truncated, "m")).exitCode());
    }
}
