package io.scoreline.serve.scoring;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scoreline.core.records.Document;
import io.scoreline.model.ModelSpec.Feature;
import io.scoreline.model.Vectorizer;
import io.scoreline.serve.api.RankResponse;
import java.util.Arrays;
import java.util.List;

/**
 * A pool item as the model reads it, vectorized once per item version and model instead of once per request. A
 * request's features join an item only where the item has no field of that name (the item's own value wins, as
 * {@code RankService} has always joined them), so the columns the item has are encoded here, and only its
 * {@code open} columns (fields it lacks) are filled from the request. An item with no open column reads the same
 * whatever the request: its row, and so its score, are the request's too.
 */
final class PreparedItem {
    private static final int[] NONE = {};

    final Document document;
    /** The item's columns; its open ones hold 0 until a request fills them. */
    private final double[] row;
    private final int[] open;
    /** The first column whose item value the model cannot read (and why), or -1. */
    private final int failedAt;
    private final String failure;
    /** A complete item's answer, scored once by {@link PreparedPool} before anyone else sees this item; null until then. */
    RankResponse.Item answer;

    private PreparedItem(Document document, double[] row, int[] open, int failedAt, String failure) {
        this.document = document;
        this.row = row;
        this.open = open;
        this.failedAt = failedAt;
        this.failure = failure;
    }

    static PreparedItem of(Document document, ServedModel model) {
        List<Vectorizer> columns = model.columns();
        List<Feature> features = model.spec().features();
        ObjectNode values = document.features();
        double[] row = new double[columns.size()];
        int[] open = NONE;
        int opened = 0;
        for (int j = 0; j < row.length; j++) {
            Vectorizer column = columns.get(j);
            if (values == null || values.get(features.get(j).name()) == null) {
                if (opened == open.length) open = Arrays.copyOf(open, Math.max(4, 2 * opened));
                open[opened++] = j;
                continue;
            }
            try {
                row[j] = column.row(values)[0];
            } catch (Vectorizer.InvalidFeature e) {
                return new PreparedItem(document, null, Arrays.copyOf(open, opened), j, e.getMessage());
            }
        }
        return new PreparedItem(document, row, Arrays.copyOf(open, opened), -1, null);
    }

    /** The request cannot change this item's row (nor its score). */
    boolean complete() {
        return open.length == 0;
    }

    /** The row of a complete item, or null when the model cannot read it ({@link #failure()} says why). */
    double[] row() {
        return row;
    }

    String failure() {
        return failure;
    }

    /**
     * The row joined with a request's columns, as the model's vectorizer reads the joined fields: a fresh array, or
     * null when a column cannot be read; {@code why[0]} then holds the first such column's reason, in column order.
     * {@code request} may be null for a complete item.
     */
    double[] joined(RequestColumns request, String[] why) {
        double[] joined = row == null ? null : row.clone();
        for (int j : open) {
            if (failedAt >= 0 && failedAt < j) break;
            String missing = request.failure(j);
            if (missing != null) {
                why[0] = missing;
                return null;
            }
            if (joined != null) joined[j] = request.value(j);
        }
        if (joined == null) why[0] = failure;
        return joined;
    }
}
