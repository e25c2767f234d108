package io.scoreline.model.trees;

import io.scoreline.model.ModelSpec;
import io.scoreline.model.Score;
import io.scoreline.model.Scorer;
import io.scoreline.model.onnx.OnnxProto.Attribute;
import io.scoreline.model.trees.OnnxTrees.Trees;
import io.scoreline.model.trees.OnnxTrees.Unsupported;
import java.util.List;
import java.util.Map;

/**
 * Turns the summed leaf weights of an ONNX tree ensemble into its outputs the way ONNX Runtime's tree operators do
 * (tree_ensemble_aggregator.h and ml_common.h's write_scores): base values, post_transform computed in float32, the
 * two-class forms with one or two weight columns, and the label. Outputs are rounded to float32, as ONNX Runtime's are.
 */
final class OnnxFinish {
    private OnnxFinish() {}

    enum Transform { NONE, LOGISTIC, SOFTMAX, SOFTMAX_ZERO }

    static Scorer regressor(Trees trees, Map<String, Attribute> a, boolean floatInputs, String what) throws Unsupported {
        if (trees.width() != 1) throw new Unsupported(trees.width() + " targets");
        String post = text(a, "post_transform", "NONE");
        // one target: ONNX Runtime applies PROBIT only and ignores the other transforms
        if (post.equals("PROBIT")) throw new Unsupported("post_transform PROBIT");
        String aggregate = text(a, "aggregate_function", "SUM");
        double[] base = base(a);
        double origin = base.length == 1 ? base[0] : 0;
        int count = trees.count();
        FlatTreeScorer.Finish finish = switch (aggregate) {
            case "SUM" -> (sums, at) -> Score.regression((float) (sums[at] + origin));
            case "AVERAGE" -> (sums, at) -> Score.regression((float) (sums[at] / count + origin));
            default -> throw new Unsupported("aggregate_function " + aggregate);
        };
        return new FlatTreeScorer(trees.forest(), 1, 0, finish, floatInputs, what);
    }

    static Scorer classifier(Trees trees, Map<String, Attribute> a, ModelSpec spec, boolean floatInputs, String what) throws Unsupported {
        int k = trees.width();
        if (k < 2) throw new Unsupported("one class");
        List<String> labels = labels(a);
        if (spec.classes() == null || spec.classes().size() != k) throw new Unsupported(k + " classes, model.json lists another number");
        int[] specIndex = new int[k];
        for (int j = 0; j < k; j++) {
            specIndex[j] = spec.classes().indexOf(labels.get(j));
            if (specIndex[j] < 0) throw new Unsupported("class " + labels.get(j) + " not in model.json");
        }
        int weighted = 0;
        for (int c = 0; c < k; c++) {
            if (trees.scored()[c] && !trees.always()[c]) throw new Unsupported("class " + c + " weighted on some leaves only");
            if (trees.scored()[c]) weighted++;
        }
        if (weighted == 0) throw new Unsupported("no class weights");
        Transform post = transform(text(a, "post_transform", "NONE"));
        double[] base = base(a);
        Labeller labeller;
        if (k > 2) {
            if (base.length != 0 && base.length != k) throw new Unsupported(base.length + " base values for " + k + " classes");
            labeller = multi(trees.scored(), base, post);
        } else if (weighted == 2) {
            if (!a.containsKey("classlabels_strings") && !labels.equals(List.of("0", "1"))) throw new Unsupported("two classes other than 0 and 1");
            labeller = twoColumns(base, post);
        } else {
            boolean first = trees.scored()[0];
            if (!first && base.length == 2) throw new Unsupported("base values with weights on the second class only");
            labeller = oneColumn(first, base, post, trees.allPositive());
        }
        return new FlatTreeScorer(trees.forest(), k, 0, (sums, at) -> {
            double[] s = new double[k];
            System.arraycopy(sums, at, s, 0, k);
            int y = labeller.label(s);
            double[] p = new double[k];
            for (int j = 0; j < k; j++) p[specIndex[j]] = (float) noise(s[j]);
            int index = specIndex[y];
            return new Score(index, spec.classes().get(index), p);
        }, floatInputs, what);
    }

    /** Turns a row's class sums into its probabilities (in place, in class label order) and returns the label's index. */
    private interface Labeller {
        int label(double[] s);
    }

    private static Labeller multi(boolean[] scored, double[] base, Transform post) {
        return s -> {
            for (int j = 0; j < base.length; j++) s[j] += base[j];
            int y = -1;
            double max = 0;
            for (int j = 0; j < s.length; j++) {
                boolean has = scored[j] || base.length > 0;
                if (has && (y == -1 || s[j] > max)) {
                    y = j;
                    max = s[j];
                }
            }
            transform(s, post);
            return y;
        };
    }

    /** Two classes, both weighted: ONNX Runtime's label is the second when its score is positive. */
    private static Labeller twoColumns(double[] base, Transform post) {
        return s -> {
            if (base.length == 2) {
                s[1] = base[1] + s[0]; // sic: ONNX Runtime adds the first class's sum to the second's base value
                s[0] = -s[1];
            } else if (base.length == 1) {
                s[0] += base[0];
            }
            int y = s[1] > 0 ? 1 : 0;
            transform(s, post);
            return y;
        };
    }

    /** Two classes and one weight column (class 0 or 1): the binary case of ONNX Runtime. */
    private static Labeller oneColumn(boolean first, double[] base, Transform post, boolean allPositive) {
        return s -> {
            boolean two; // whether both scores go out as they are (transformed), or the one is expanded into two
            if (!first) {
                if (base.length == 1) s[0] += base[0];
                two = true;
            } else if (base.length == 2) {
                s[1] += base[1];
                s[0] += base[0];
                two = true;
            } else {
                if (base.length == 1) s[0] += base[0];
                two = false;
            }
            double positive = first ? s[0] : s[1];
            int y = allPositive ? (positive > 0.5 ? 1 : 0) : (positive > 0 ? 1 : 0);
            if (two) {
                s[first ? 1 : 0] = 0; // a class no leaf weighs has no score, which ONNX Runtime writes as 0
                transform(s, post);
                return y;
            }
            double score = s[0];
            if (allPositive) {
                s[0] = 1 - score;
                s[1] = score;
            } else if (post == Transform.LOGISTIC) {
                s[0] = logistic((float) -score);
                s[1] = logistic((float) score);
            } else {
                s[0] = -score;
                s[1] = score;
            }
            return y;
        };
    }

    private static void transform(double[] s, Transform post) {
        switch (post) {
            case NONE -> { }
            case LOGISTIC -> { for (int j = 0; j < s.length; j++) s[j] = logistic((float) s[j]); }
            case SOFTMAX, SOFTMAX_ZERO -> {
                float max = -Float.MAX_VALUE;
                for (double v : s) if ((float) v > max) max = (float) v;
                float sum = 0;
                for (int j = 0; j < s.length; j++) {
                    float v = (float) s[j];
                    if (post == Transform.SOFTMAX || v > 0.0000001f || v < -0.0000001f) {
                        s[j] = (float) Math.exp(v - max);
                        sum += (float) s[j];
                    } else {
                        s[j] = v * (float) Math.exp(-max);
                    }
                }
                for (int j = 0; j < s.length; j++) s[j] = (float) s[j] / sum;
            }
        }
    }

    /**
     * A probability that rounding put a hair outside [0, 1] (a forest's 1 − Σ weights can be −1.5e-8), brought back
     * to it; any other value, even one no probability could be, is ONNX Runtime's and stays.
     */
    private static double noise(double p) {
        if (p < 0 && p >= -1e-6) return 0;
        if (p > 1 && p <= 1 + 1e-6) return 1;
        return p;
    }

    /** ONNX Runtime's ComputeLogistic, in float32. */
    private static float logistic(float v) {
        float e = 1 / (1 + (float) Math.exp(-Math.abs(v)));
        return v < 0 ? 1 - e : e;
    }

    private static Transform transform(String name) throws Unsupported {
        try {
            return Transform.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new Unsupported("post_transform " + name);
        }
    }

    private static List<String> labels(Map<String, Attribute> a) throws Unsupported {
        if (a.containsKey("classlabels_strings")) return a.get("classlabels_strings").strings();
        Attribute ints = a.get("classlabels_int64s");
        if (ints == null || ints.ints() == null) throw new Unsupported("no class labels");
        return java.util.Arrays.stream(ints.ints()).mapToObj(Long::toString).toList();
    }

    private static double[] base(Map<String, Attribute> a) throws Unsupported {
        Attribute tensor = a.get("base_values_as_tensor");
        if (tensor != null && tensor.reals() != null && tensor.reals().length > 0) return tensor.reals();
        if (tensor != null && tensor.reals() == null) throw new Unsupported("base_values_as_tensor stored outside the model");
        Attribute floats = a.get("base_values");
        return floats == null || floats.reals() == null ? new double[0] : floats.reals();
    }

    private static String text(Map<String, Attribute> a, String name, String otherwise) {
        Attribute at = a.get(name);
        return at == null ? otherwise : at.string().orElse(otherwise);
    }
}
