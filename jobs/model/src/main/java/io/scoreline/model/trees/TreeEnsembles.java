package io.scoreline.model.trees;

import io.scoreline.core.error.JobException;
import io.scoreline.model.ModelSpec;
import io.scoreline.model.Scorer;
import io.scoreline.model.SmileScorer;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import smile.base.cart.CART;
import smile.base.cart.DecisionNode;
import smile.base.cart.InternalNode;
import smile.base.cart.Node;
import smile.base.cart.NominalNode;
import smile.base.cart.OrdinalNode;
import smile.base.cart.RegressionNode;
import smile.data.Tuple;
import smile.data.formula.Delete;
import smile.data.formula.Dot;
import smile.data.formula.Formula;
import smile.data.formula.Term;
import smile.data.formula.Variable;
import smile.data.type.DataTypes;
import smile.data.type.StructField;
import smile.data.type.StructType;
import smile.regression.RegressionTree;

/**
 * The scorer for a Smile model: Smile's random forests and gradient boosting, flattened into arrays at load, and
 * {@link SmileScorer} for everything else (and for the checks against model.json, which both share).
 */
public final class TreeEnsembles {
    private TreeEnsembles() {}

    public static Scorer scorer(Object model, ModelSpec spec) {
        Scorer smile = SmileScorer.of(model, spec);
        Scorer fast = flattened(model, spec);
        return fast != null ? fast : smile;
    }

    /** model.trees for a model this class flattens, or empty (then loads keep deserializing the model). */
    public static Optional<byte[]> compact(Object model, ModelSpec spec) {
        SmileTrees trees = trees(model, spec);
        return trees == null ? Optional.empty() : trees.bytes(spec);
    }

    /**
     * The scorer of a stored model.trees (sha256 already checked), or empty when the Smile model must be loaded instead:
     * a format this build does not read, or features or classes changed in model.json since register.
     */
    public static Optional<Scorer> stored(byte[] bytes, ModelSpec spec, String what) {
        try {
            return SmileTrees.read(bytes, spec).map(t -> t.scorer(spec.classes()));
        } catch (IllegalArgumentException e) {
            throw JobException.model(what + " cannot be used: " + e.getMessage() + "; register the model again", e);
        }
    }

    /** The flattened scorer, or null where the model is not an ensemble this class reproduces exactly. */
    static Scorer flattened(Object model, ModelSpec spec) {
        SmileTrees trees = trees(model, spec);
        return trees == null ? null : trees.scorer(spec.classes());
    }

    /** The model's trees flattened, or null where the model is not an ensemble this class reproduces exactly. */
    public static SmileTrees trees(Object model, ModelSpec spec) {
        if (model instanceof smile.classification.RandomForest rf && plain(rf.formula(), spec)) {
            int k = rf.numClasses();
            int[] columns = columns(rf.formula(), spec);
            FlatForest.Builder forest = new FlatForest.Builder(k);
            for (var m : rf.models()) {
                double weight = m.weight();
                if (!add(forest, m.tree(), 0, columns, leaf -> {
                    double[] p = DecisionNode.posteriori(((DecisionNode) leaf).count(), new double[k]);
                    for (int j = 0; j < k; j++) p[j] = weight * p[j];
                    return p;
                })) return null;
            }
            return new SmileTrees(forest.build(), Combine.NORMALIZE, 0, "Smile");
        }
        if (model instanceof smile.regression.RandomForest rf && plain(rf.formula(), spec)) {
            int[] columns = columns(rf.formula(), spec);
            FlatForest.Builder forest = new FlatForest.Builder(1);
            for (var m : rf.models()) {
                if (!add(forest, m.tree(), 0, columns, leaf -> new double[] {((RegressionNode) leaf).output()})) return null;
            }
            return new SmileTrees(forest.build(), Combine.MEAN, 0, "Smile");
        }
        if (model instanceof smile.regression.GradientTreeBoost gbm && plain(gbm.formula(), spec)) {
            double shrinkage = field(gbm, "shrinkage");
            FlatForest.Builder forest = new FlatForest.Builder(1);
            if (!boosted(forest, gbm.trees(), 0, columns(gbm.formula(), spec), shrinkage)) return null;
            return new SmileTrees(forest.build(), Combine.SUM, field(gbm, "b"), "Smile");
        }
        if (model instanceof smile.classification.GradientTreeBoost gbm && plain(gbm.formula(), spec)) {
            double shrinkage = field(gbm, "shrinkage");
            int[] columns = columns(gbm.formula(), spec);
            RegressionTree[][] trees = gbm.trees();
            FlatForest.Builder forest = new FlatForest.Builder(1);
            if (gbm.numClasses() == 2) {
                if (!boosted(forest, trees[0], 0, columns, shrinkage)) return null;
                return new SmileTrees(forest.build(), Combine.LOGISTIC, field(gbm, "b"), "Smile");
            }
            for (int j = 0; j < trees.length; j++) {
                if (!boosted(forest, trees[j], j, columns, shrinkage)) return null;
            }
            return new SmileTrees(forest.build(), Combine.SOFTMAX, 0, "Smile");
        }
        return null;
    }

    private static boolean boosted(FlatForest.Builder forest, RegressionTree[] trees, int slot, int[] columns, double shrinkage) {
        for (RegressionTree tree : trees) {
            // Smile adds shrinkage * output to the sum; the product is computed here once, with the same result
            if (!add(forest, tree, slot, columns, leaf -> new double[] {shrinkage * ((RegressionNode) leaf).output()})) return false;
        }
        return true;
    }

    /** Adds one tree; false when it has a node kind or a formula of its own that this scorer does not reproduce. */
    private static boolean add(FlatForest.Builder forest, CART tree, int slot, int[] columns, Function<Node, double[]> leaf) {
        if (formulaOf(tree) != null) return false;
        return node(forest, forest.tree(slot), tree.root(), columns, leaf);
    }

    private static boolean node(FlatForest.Builder forest, int at, Node node, int[] columns, Function<Node, double[]> leaf) {
        if (node instanceof DecisionNode || node instanceof RegressionNode) {
            forest.leaf(at, leaf.apply(node));
            return true;
        }
        if (!(node instanceof InternalNode split) || split.feature() < 0 || split.feature() >= columns.length) return false;
        int children;
        if (split instanceof OrdinalNode) {
            children = forest.split(at, columns[split.feature()], FlatForest.LEQ, field(split, "value"), false);
        } else if (split instanceof NominalNode) {
            children = forest.split(at, columns[split.feature()], FlatForest.NOMINAL, ((Number) value(split, "value")).intValue(), false);
        } else {
            return false;
        }
        return node(forest, children, split.trueChild(), columns, leaf) && node(forest, children + 1, split.falseChild(), columns, leaf);
    }

    /** Only plain columns (".", names, deletions): then Smile's x tuple is the row's own values, by name. */
    private static boolean plain(Formula formula, ModelSpec spec) {
        if (formula == null || spec.features() == null) return false;
        for (Term term : formula.predictors()) {
            if (!(term instanceof Dot || term instanceof Variable || term instanceof Delete)) return false;
        }
        return true;
    }

    /**
     * Row index of each predictor, as Smile binds them when it scores: the formula applied to a row of the spec's
     * features gives the predictors' schema, whose i-th column the trees' feature i reads.
     */
    private static int[] columns(Formula formula, ModelSpec spec) {
        StructType input = new StructType(spec.features().stream().map(f -> new StructField(f.name(), DataTypes.DoubleType)).toList());
        StructType x = formula.x(Tuple.of(input, new double[spec.features().size()])).schema();
        int[] columns = new int[x.length()];
        for (int i = 0; i < columns.length; i++) columns[i] = input.indexOf(x.field(i).name());
        return columns;
    }

    private static Formula formulaOf(CART tree) {
        if (tree instanceof smile.classification.DecisionTree d) return d.formula();
        if (tree instanceof RegressionTree r) return r.formula();
        return null;
    }

    private static double field(Object owner, String name) {
        return ((Number) value(owner, name)).doubleValue();
    }

    /** Smile keeps thresholds, b and shrinkage in fields without accessors; they are read once, at load. */
    private static Object value(Object owner, String name) {
        for (Class<?> c = owner.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f.get(owner);
            } catch (NoSuchFieldException e) {
                // declared further up
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot read Smile's " + c.getSimpleName() + "." + name, e);
            }
        }
        throw new IllegalStateException("Smile's " + owner.getClass().getSimpleName() + " has no field " + name);
    }
}
