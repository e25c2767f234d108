package io.scoreline.predict.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoreline.core.error.ExitCode;
import io.scoreline.core.error.JobException;
import io.scoreline.model.ModelSpec.Task;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingDataTest {

    @Test
    void aMissingTargetIsNamedWithTheColumnsFoundAndTheNearest() {
        var rows = Rows.generate(Task.CLASSIFICATION, 50, 1);
        JobException e = assertThrows(JobException.class,
            () -> TrainingData.prepare(rows, "targte", List.of(), List.of("id"), Task.CLASSIFICATION));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().startsWith("--target 'targte' is not a column of the training data; columns found: "), e.getMessage());
        assertTrue(e.getMessage().contains("target") && e.getMessage().endsWith("did you mean 'target'?"), e.getMessage());
    }

    @Test
    void aFarFetchedTargetGetsNoSuggestion() {
        var rows = Rows.generate(Task.CLASSIFICATION, 50, 1);
        JobException e = assertThrows(JobException.class,
            () -> TrainingData.prepare(rows, "revenue_next_quarter", List.of(), List.of("id"), Task.CLASSIFICATION));
        assertTrue(!e.getMessage().contains("did you mean"), e.getMessage());
    }

    @Test
    void aMisspeltFeatureIsNamedLikeAMisspeltTarget() {
        var rows = Rows.generate(Task.CLASSIFICATION, 50, 1);
        JobException e = assertThrows(JobException.class,
            () -> TrainingData.prepare(rows, "target", List.of("x1", "X2_"), List.of("id"), Task.CLASSIFICATION));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().startsWith("--features 'X2_' is not a column of the training data; columns found: "), e.getMessage());
        assertTrue(e.getMessage().endsWith("did you mean 'x2'?"), e.getMessage());
    }
}
