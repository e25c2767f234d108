package io.scoreline.predict.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scoreline.core.records.Json;
import io.scoreline.model.ModelSpec.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Generated training rows with real signal: two numbers, a boolean and a category drive the target. */
public final class Rows {
    private static final String[] COLORS = {"blue", "green", "red"};

    private Rows() {}

    /** Classification: "yes" when 2·x1 − x2 + 0.5·flag > 0.2 (linearly separable); regression: a linear mix plus small noise. */
    public static List<ObjectNode> generate(Task task, int n, long seed) {
        Random random = new Random(seed);
        List<ObjectNode> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double x1 = random.nextDouble() * 2 - 1;
            double x2 = random.nextDouble() * 2 - 1;
            boolean flag = random.nextBoolean();
            String color = COLORS[random.nextInt(COLORS.length)];
            ObjectNode row = Json.MAPPER.createObjectNode().put("id", "d" + seed + "-" + i).put("x1", x1).put("x2", x2)
                .put("flag", flag).put("color", color);
            if (task == Task.CLASSIFICATION) {
                row.put("target", 2 * x1 - x2 + (flag ? 0.5 : 0) > 0.2 ? "yes" : "no");
            } else {
                row.put("target", 3 * x1 - 2 * x2 + (flag ? 1 : 0) + (color.equals("red") ? 2 : 0) + random.nextGaussian() * 0.1);
            }
            rows.add(row);
        }
        return rows;
    }
}
