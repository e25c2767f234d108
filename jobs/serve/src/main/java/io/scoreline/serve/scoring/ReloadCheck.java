package io.scoreline.serve.scoring;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scoreline.model.Score;
import io.scoreline.model.Vectorizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A new model version checked beside the served one before the swap, on a sample of pool items: it must read the items
 * the served model reads and give finite scores for them. Scoring the sample also warms the new model up, so the first
 * requests after the swap are not the slow ones.
 */
final class ReloadCheck {
    private static final Logger log = LoggerFactory.getLogger(ReloadCheck.class);
    private static final int WARM_UP_ROUNDS = 20;

    private ReloadCheck() {}

    /** Why {@code next} must not replace {@code current}, or null when it may. */
    static String refusal(ServedModel next, ServedModel current, List<ObjectNode> sample) {
        List<double[]> nextRows = new ArrayList<>(), currentRows = new ArrayList<>();
        String unreadable = null;
        for (ObjectNode item : sample) {
            double[] old = row(current.vectorizer(), item);
            if (old == null) continue;  // the served model cannot read it either: not the new version's fault
            double[] row;
            try {
                row = next.vectorizer().row(item);
            } catch (Vectorizer.InvalidFeature e) {
                if (unreadable == null) unreadable = e.getMessage();
                continue;
            }
            nextRows.add(row);
            currentRows.add(old);
        }
        if (unreadable != null) {
            return "version " + next.version() + " cannot read pool items that " + current.version() + " scores: " + unreadable;
        }
        if (nextRows.isEmpty()) return null;
        Score[] nextScores = score(next, nextRows), currentScores = score(current, currentRows);
        double moved = 0;
        for (int i = 0; i < nextScores.length; i++) {
            if (nextScores[i] == null || !nextScores[i].isFinite()) {
                return "version " + next.version() + " gives a non-finite score to a pool item " + current.version() + " scores";
            }
            moved += Math.abs(ServedModel.rankScore(nextScores[i]) - ServedModel.rankScore(currentScores[i]));
        }
        for (int i = 0; i < WARM_UP_ROUNDS; i++) score(next, nextRows);
        log.info("model {}: {} checked beside {} on {} pool items: mean |score change| {}", next.name(), next.version(),
            current.version(), nextScores.length, String.format(Locale.ROOT, "%.4f", moved / nextScores.length));
        return null;
    }

    private static double[] row(Vectorizer vectorizer, ObjectNode item) {
        try {
            return vectorizer.row(item);
        } catch (Vectorizer.InvalidFeature e) {
            return null;
        }
    }

    private static Score[] score(ServedModel model, List<double[]> rows) {
        double[][] matrix = rows.toArray(double[][]::new);
        Score[] out = new Score[matrix.length];
        model.score(matrix, out);
        return out;
    }
}
