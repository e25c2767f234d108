package io.scoreline.model.trees;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoreline.core.error.ExitCode;
import io.scoreline.core.error.JobException;
import io.scoreline.model.ModelSpec;
import io.scoreline.model.ModelSpec.Task;
import io.scoreline.model.Score;
import io.scoreline.model.Scorer;
import io.scoreline.model.SmileScorer;
import io.scoreline.model.trees.TreeEnsemblesTest.Family;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * model.trees, what register stores beside a Smile ensemble so that jobs skip its deserialization: the scorer read back
 * from the bytes answers exactly as the Smile model (the parity reference), a model.json changed since register sends
 * the loader back to the Smile model, and bytes that are no forest are refused with the reason.
 */
class TreesFileTest {
    @ParameterizedTest(name = "{0} {1} classes={2} nominal color={3}")
    @MethodSource("io.scoreline.model.trees.TreeEnsemblesTest#models")
    void storedTreesScoreAsTheSmileModel(Family family, Task task, int classes, boolean nominal) {
        Object model = TreeEnsemblesTest.fit(family, task, classes, nominal);
        ModelSpec spec = TreeEnsemblesTest.spec(task, classes);
        Scorer smile = SmileScorer.of(model, spec);
        byte[] bytes = TreeEnsembles.compact(model, spec).orElseThrow();
        Scorer stored = TreeEnsembles.stored(bytes, spec, "test").orElseThrow();
        assertTrue(stored.describe().contains("model.trees"), stored.describe());
        FlatForest made = TreeEnsemblesTest.forestOf((FlatTreeScorer) TreeEnsembles.scorer(model, spec));
        FlatForest read = TreeEnsemblesTest.forestOf((FlatTreeScorer) stored);
        assertArrayEquals(made.roots(), read.roots());
        assertArrayEquals(made.depths(), read.depths());
        assertArrayEquals(made.slot(), read.slot());
        assertArrayEquals(made.feature(), read.feature());
        assertArrayEquals(made.threshold(), read.threshold());
        assertArrayEquals(made.floatThreshold(), read.floatThreshold());
        assertArrayEquals(made.child(), read.child());
        assertArrayEquals(made.leafValue(), read.leafValue());
        assertArrayEquals(made.values(), read.values());
        assertArrayEquals(made.test(), read.test());
        assertArrayEquals(made.nan(), read.nan());
        assertEquals(List.of(made.width(), made.simple(), made.nanTrue()), List.of(read.width(), read.simple(), read.nanTrue()));

        double[][] rows = TreeEnsemblesTest.rows((FlatTreeScorer) stored, 3000, 13);
        Score[] batch = new Score[rows.length];
        stored.score(rows, 0, rows.length, batch);
        for (int i = 0; i < rows.length; i++) {
            Score expected = smile.score(rows[i]);
            String where = "row " + i + " " + Arrays.toString(rows[i]);
            TreeEnsemblesTest.same(expected, stored.score(rows[i]), where);
            TreeEnsemblesTest.same(expected, batch[i], where + " (batch)");
        }
    }

    @Test
    void aModelJsonChangedSinceRegisterLoadsTheSmileModel() {
        Object model = TreeEnsemblesTest.fit(Family.GBM, Task.CLASSIFICATION, 3, false);
        ModelSpec spec = TreeEnsemblesTest.spec(Task.CLASSIFICATION, 3);
        byte[] bytes = TreeEnsembles.compact(model, spec).orElseThrow();
        List<ModelSpec.Feature> reordered = new ArrayList<>(spec.features());
        java.util.Collections.swap(reordered, 1, 2); // the columns were bound by name at register
        assertEquals(Optional.empty(), TreeEnsembles.stored(bytes, withFeaturesAndClasses(spec, reordered, spec.classes()), "t"));
        assertEquals(Optional.empty(), TreeEnsembles.stored(bytes, withFeaturesAndClasses(spec, spec.features(),
            List.of("c0", "c2", "c1")), "t"));
        byte[] newer = bytes.clone();
        ByteBuffer.wrap(newer).putInt(4, 2); // a format a later build writes
        assertEquals(Optional.empty(), TreeEnsembles.stored(newer, spec, "t"));
    }

    @Test
    void bytesThatAreNoForestAreRefused() {
        Object model = TreeEnsemblesTest.fit(Family.RF, Task.REGRESSION, 0, false);
        ModelSpec spec = TreeEnsemblesTest.spec(Task.REGRESSION, 0);
        byte[] bytes = TreeEnsembles.compact(model, spec).orElseThrow();
        refused(Arrays.copyOf(bytes, bytes.length - 3), spec, "truncated");
        refused(Arrays.copyOf(bytes, bytes.length + 1), spec, "bytes after its end");
        refused(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, spec, "not a model.trees file");
        ModelSpec classification = TreeEnsemblesTest.spec(Task.CLASSIFICATION, 2);
        byte[] forClasses = TreeEnsembles.compact(TreeEnsemblesTest.fit(Family.RF, Task.CLASSIFICATION, 2, false), classification)
            .orElseThrow();
        // the first tree's root, right after the header, pointed past the last node
        int roots = forClasses.length - 1;
        ByteBuffer header = ByteBuffer.wrap(forClasses);
        int at = rootsOffset(header);
        ByteBuffer.wrap(forClasses).putInt(at, roots);
        refused(forClasses, classification, "starts outside its nodes");
    }

    /** The offset of the first root: after magic, version, combine, bias, width, feature and class names, tree count. */
    private static int rootsOffset(ByteBuffer in) {
        in.position(8);
        in.position(in.position() + 4 + in.getInt()); // combine
        in.position(in.position() + 8 + 4); // bias, width
        for (int lists = 0; lists < 2; lists++) {
            int n = in.getInt();
            for (int i = 0; i < n; i++) in.position(in.position() + 4 + in.getInt());
        }
        return in.position() + 4;
    }

    private static void refused(byte[] bytes, ModelSpec spec, String reason) {
        JobException e = assertThrows(JobException.class, () -> TreeEnsembles.stored(bytes, spec, "model m/v1: model.trees"));
        assertEquals(ExitCode.MODEL_INVALID, e.exitCode());
        assertTrue(e.getMessage().startsWith("model m/v1: model.trees cannot be used: ") && e.getMessage().contains(reason),
            e.getMessage());
    }

    private static ModelSpec withFeaturesAndClasses(ModelSpec s, List<ModelSpec.Feature> features, List<String> classes) {
        return new ModelSpec(s.schemaVersion(), s.name(), s.version(), s.format(), s.file(), s.sha256(), s.size(), s.task(),
            s.algorithm(), features, s.target(), classes, s.createdAt(), s.training(), s.onnx(), s.trees());
    }
}
