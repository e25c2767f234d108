package io.scoreline.serve.scoring;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scoreline.model.Vectorizer;
import java.util.List;

/**
 * A request's features as the model's columns, encoded once per request (not once per item): what fills the columns
 * an item lacks. A column the request does not give either takes the model's default or cannot be read ({@link #failure}).
 */
final class RequestColumns {
    private final double[] values;
    private final String[] failures;

    RequestColumns(ObjectNode features, List<Vectorizer> columns) {
        values = new double[columns.size()];
        failures = new String[columns.size()];
        for (int j = 0; j < values.length; j++) {
            try {
                values[j] = columns.get(j).row(features)[0];
            } catch (Vectorizer.InvalidFeature e) {
                failures[j] = e.getMessage();
            }
        }
    }

    double value(int column) {
        return values[column];
    }

    /** Why column {@code column} cannot be read from the request, or null. */
    String failure(int column) {
        return failures[column];
    }
}
