package io.scoreline.model.trees;

import io.scoreline.model.ModelSpec;
import io.scoreline.model.ModelSpec.Task;
import io.scoreline.model.OnnxBinding;
import io.scoreline.model.Scorer;
import io.scoreline.model.onnx.OnnxProto.Attribute;
import io.scoreline.model.onnx.OnnxProto.Graph;
import io.scoreline.model.onnx.OnnxProto.Model;
import io.scoreline.model.onnx.OnnxProto.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ONNX model whose graph is one ai.onnx.ml TreeEnsembleClassifier or TreeEnsembleRegressor on its one float or
 * double input (with the Identity, Cast and ZipMap nodes skl2onnx and onnxmltools add around it), flattened into a
 * {@link FlatForest} from the node's attributes and scored as ONNX Runtime scores it ({@link OnnxFinish}). Anything
 * else, or an attribute, mode or combination this class does not reproduce, is {@link Unsupported}: ONNX Runtime
 * scores it.
 */
public final class OnnxTrees {
    private OnnxTrees() {}

    /** Why a model is not scored by the flattened trees, in a few words for the log. */
    public static final class Unsupported extends Exception {
        Unsupported(String message) {
            super(message, null, false, false);
        }
    }

    private static final String ML = "ai.onnx.ml";
    private static final Set<String> NODE_ATTRIBUTES = Set.of("nodes_falsenodeids", "nodes_featureids", "nodes_hitrates",
        "nodes_hitrates_as_tensor", "nodes_missing_value_tracks_true", "nodes_modes", "nodes_nodeids", "nodes_treeids",
        "nodes_truenodeids", "nodes_values", "nodes_values_as_tensor", "post_transform", "base_values", "base_values_as_tensor");
    private static final Set<String> CLASSIFIER = Set.of("classlabels_int64s", "classlabels_strings", "class_ids",
        "class_nodeids", "class_treeids", "class_weights", "class_weights_as_tensor");
    private static final Set<String> REGRESSOR = Set.of("aggregate_function", "n_targets", "target_ids", "target_nodeids",
        "target_treeids", "target_weights", "target_weights_as_tensor");

    /** The flattened scorer of the model, or {@link Unsupported} with the reason ONNX Runtime must score it. */
    public static Scorer scorer(Model model, ModelSpec spec) throws Unsupported {
        Graph graph = model.graph();
        OnnxBinding binding = spec.onnx();
        if (binding.inputs().size() != 1 || graph.inputs().size() != 1) throw new Unsupported("more than one input");
        OnnxBinding.Input input = binding.inputs().get(0);
        if (!input.elemType().equals("float") && !input.elemType().equals("double")) {
            throw new Unsupported(input.elemType() + " input");
        }
        long ml = model.opsets().getOrDefault(ML, 0L);
        if (ml < 1 || ml > 4) throw new Unsupported("ai.onnx.ml opset " + ml);

        Node ensemble = null;
        Map<String, String> source = new HashMap<>(); // an Identity's or Cast's output -> its input
        Map<String, Long> castTo = new HashMap<>();
        Set<String> zipMaps = new java.util.HashSet<>();
        for (Node node : graph.nodes()) {
            String op = node.domain() + ":" + node.opType();
            switch (op) {
                case ML + ":TreeEnsembleClassifier", ML + ":TreeEnsembleRegressor" -> {
                    if (ensemble != null) throw new Unsupported("more than one tree ensemble");
                    ensemble = node;
                }
                case ":Identity", ":Cast", ML + ":ZipMap" -> {
                    if (node.inputs().size() != 1 || node.outputs().size() != 1) throw new Unsupported(node.opType() + " node");
                    source.put(node.outputs().get(0), node.inputs().get(0));
                    if (node.opType().equals("Cast")) {
                        Attribute to = node.attributes().get("to");
                        if (to == null || to.ints() == null || to.ints().length != 1) throw new Unsupported("Cast without 'to'");
                        castTo.put(node.outputs().get(0), to.ints()[0]);
                    }
                    if (node.opType().equals("ZipMap")) zipMaps.add(node.outputs().get(0));
                }
                default -> throw new Unsupported("node " + node.opType());
            }
        }
        if (ensemble == null) throw new Unsupported("no tree ensemble");
        boolean classifier = ensemble.opType().equals("TreeEnsembleClassifier");
        if (classifier != (spec.task() == Task.CLASSIFICATION)) throw new Unsupported(ensemble.opType() + " for a " + spec.task());

        // the input, through Casts: a Cast to float rounds a double input as float32
        boolean floatInputs = input.elemType().equals("float");
        String x = ensemble.inputs().isEmpty() ? "" : ensemble.inputs().get(0);
        while (source.containsKey(x)) {
            Long to = castTo.get(x);
            if (zipMaps.contains(x) || to != null && to != 1 && to != 11) throw new Unsupported("the input goes through " + (to == null ? "ZipMap" : "Cast to " + to));
            if (to != null && to == 1) floatInputs = true;
            x = source.get(x);
        }
        if (!x.equals(input.name())) throw new Unsupported("the ensemble does not read the input");

        // the outputs model.json names come from the ensemble's outputs, through Identity, Cast and ZipMap
        if (classifier) {
            expect(binding.outputs().label(), ensemble, 0, source, castTo, zipMaps, false);
            expect(binding.outputs().probabilities(), ensemble, 1, source, castTo, zipMaps, true);
        } else {
            expect(binding.outputs().value(), ensemble, 0, source, castTo, zipMaps, false);
        }

        Map<String, Attribute> attributes = ensemble.attributes();
        for (String name : attributes.keySet()) {
            if (!NODE_ATTRIBUTES.contains(name) && !(classifier ? CLASSIFIER : REGRESSOR).contains(name)) {
                throw new Unsupported("attribute " + name);
            }
        }
        int[] columns = columns(input, spec);
        Trees trees = Trees.read(attributes, classifier, columns, floatInputs);
        String what = "fast trees (ONNX " + ensemble.opType() + ", " + trees.count() + " trees)";
        return classifier ? OnnxFinish.classifier(trees, attributes, spec, floatInputs, what)
            : OnnxFinish.regressor(trees, attributes, floatInputs, what);
    }

    /**
     * Rows that reach many leaves, to check the flattened trees against ONNX Runtime at load: each feature takes one of
     * the thresholds the trees compare it with, or the float32 just above or below it; features no tree reads are 0.
     */
    public static double[][] probes(Model model, ModelSpec spec, int count) {
        double[][] rows = new double[count][spec.features().size()];
        Node ensemble = model.graph().nodes().stream().filter(n -> n.opType().startsWith("TreeEnsemble")).findFirst().orElse(null);
        if (ensemble == null || spec.onnx().inputs().size() != 1) return rows;
        Attribute features = ensemble.attributes().get("nodes_featureids");
        Attribute values = ensemble.attributes().get("nodes_values");
        Attribute modes = ensemble.attributes().get("nodes_modes");
        if (features == null || values == null || modes == null || values.reals() == null) return rows;
        int[] columns = columns(spec.onnx().inputs().get(0), spec);
        Map<Integer, List<Double>> thresholds = new HashMap<>();
        for (int i = 0; i < Math.min(features.ints().length, values.reals().length); i++) {
            long f = features.ints()[i];
            if (!modes.strings().get(i).equals("LEAF") && f >= 0 && f < columns.length) {
                thresholds.computeIfAbsent(columns[(int) f], c -> new ArrayList<>()).add(values.reals()[i]);
            }
        }
        java.util.Random random = new java.util.Random(20261202L);
        for (double[] row : rows) {
            thresholds.forEach((column, t) -> {
                float v = (float) (double) t.get(random.nextInt(t.size()));
                row[column] = switch (random.nextInt(3)) {
                    case 0 -> v;
                    case 1 -> Math.nextUp(v);
                    default -> Math.nextDown(v);
                };
            });
        }
        return rows;
    }

    /** Row index (model.json's feature order) of each column of the input tensor. */
    private static int[] columns(OnnxBinding.Input input, ModelSpec spec) {
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < spec.features().size(); i++) index.put(spec.features().get(i).name(), i);
        return input.features().stream().mapToInt(index::get).toArray();
    }

    private static void expect(String output, Node ensemble, int index, Map<String, String> source, Map<String, Long> castTo,
                               Set<String> zipMaps, boolean probabilities) throws Unsupported {
        if (ensemble.outputs().size() <= index) throw new Unsupported("the ensemble lacks an output");
        String at = output;
        while (source.containsKey(at)) {
            if (zipMaps.contains(at) && !probabilities) throw new Unsupported("ZipMap on " + output);
            Long to = castTo.get(at);
            if (to != null && (probabilities ? to != 1 && to != 11 : to != 7 && to != 6 && to != 8)) {
                throw new Unsupported("output " + output + " is cast to type " + to);
            }
            at = source.get(at);
        }
        if (!at.equals(ensemble.outputs().get(index))) throw new Unsupported("output " + output + " is not the ensemble's");
    }

    /** The ensemble's trees flattened, with what OnnxFinish needs to know about their leaves. */
    record Trees(FlatForest forest, int width, boolean[] scored, boolean[] always, boolean allPositive) {
        int count() {
            return forest.trees();
        }

        static Trees read(Map<String, Attribute> a, boolean classifier, int[] columns, boolean floatInputs) throws Unsupported {
            long[] treeIds = ints(a, "nodes_treeids");
            long[] nodeIds = ints(a, "nodes_nodeids");
            long[] featureIds = ints(a, "nodes_featureids");
            long[] trueIds = ints(a, "nodes_truenodeids");
            long[] falseIds = ints(a, "nodes_falsenodeids");
            List<String> modes = a.containsKey("nodes_modes") ? a.get("nodes_modes").strings() : null;
            double[] values = reals(a, "nodes_values_as_tensor", "nodes_values");
            long[] missing = a.containsKey("nodes_missing_value_tracks_true") ? ints(a, "nodes_missing_value_tracks_true") : null;
            int n = treeIds.length;
            if (modes == null || nodeIds.length != n || featureIds.length != n || trueIds.length != n || falseIds.length != n
                || modes.size() != n || values == null || values.length != n || missing != null && missing.length != 0 && missing.length != n) {
                throw new Unsupported("node attributes of different lengths");
            }
            String prefix = classifier ? "class_" : "target_";
            long[] wTrees = ints(a, prefix + "treeids");
            long[] wNodes = ints(a, prefix + "nodeids");
            long[] wIds = ints(a, prefix + "ids");
            double[] weights = reals(a, prefix + "weights_as_tensor", prefix + "weights");
            if (weights == null || wNodes.length != wTrees.length || wIds.length != wTrees.length || weights.length != wTrees.length) {
                throw new Unsupported("weight attributes of different lengths");
            }
            int width;
            if (classifier) {
                width = a.containsKey("classlabels_strings") ? a.get("classlabels_strings").strings().size() : ints(a, "classlabels_int64s").length;
            } else {
                width = a.containsKey("n_targets") ? (int) ints(a, "n_targets")[0] : 1;
            }
            if (width < 1) throw new Unsupported("no classes or targets");

            // nodes by (tree, node id); trees in the order they first appear
            Map<Long, Map<Long, Integer>> byTree = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                if (byTree.computeIfAbsent(treeIds[i], t -> new HashMap<>()).put(nodeIds[i], i) != null) {
                    throw new Unsupported("node " + nodeIds[i] + " of tree " + treeIds[i] + " twice");
                }
            }
            Map<Long, double[]> leafValues = new HashMap<>(); // node position -> its weights
            Map<Long, List<Integer>> leafClasses = new HashMap<>();
            boolean allPositive = true;
            boolean[] scored = new boolean[width];
            for (int i = 0; i < wTrees.length; i++) {
                Integer node = byTree.getOrDefault(wTrees[i], Map.of()).get(wNodes[i]);
                if (node == null || !"LEAF".equals(modes.get(node))) throw new Unsupported("a weight on a node that is not a leaf");
                if (wIds[i] < 0 || wIds[i] >= width) throw new Unsupported("weight for class or target " + wIds[i]);
                leafValues.computeIfAbsent((long) node, k -> new double[width])[(int) wIds[i]] += weights[i];
                leafClasses.computeIfAbsent((long) node, k -> new ArrayList<>()).add((int) wIds[i]);
                scored[(int) wIds[i]] = true;
                allPositive &= weights[i] >= 0;
            }
            boolean[] always = new boolean[width];
            // one weighted class (two classes, one weight column): the trees carry that class's value alone
            int only = -1;
            for (int c = 0; c < width; c++) if (scored[c]) only = only == -1 ? c : -2;
            int carried = only >= 0 ? 1 : width;
            FlatForest.Builder forest = new FlatForest.Builder(carried);
            for (Map<Long, Integer> tree : byTree.values()) {
                java.util.Set<Long> children = new java.util.HashSet<>();
                for (int i : tree.values()) {
                    if (!"LEAF".equals(modes.get(i))) {
                        children.add(trueIds[i]);
                        children.add(falseIds[i]);
                    }
                }
                List<Integer> roots = tree.entrySet().stream().filter(e -> !children.contains(e.getKey())).map(Map.Entry::getValue).toList();
                if (roots.size() != 1) throw new Unsupported("a tree with " + roots.size() + " roots");
                boolean[] everyLeaf = new boolean[width];
                java.util.Arrays.fill(everyLeaf, true);
                int[] visited = {0};
                new Walk(tree, modes, featureIds, trueIds, falseIds, values, missing, columns, leafValues, leafClasses, everyLeaf, visited,
                    forest, width, only, floatInputs).node(forest.tree(Math.max(only, 0)), roots.get(0), 0);
                if (visited[0] != tree.size()) throw new Unsupported("a tree with unreachable or shared nodes");
                for (int c = 0; c < width; c++) always[c] |= everyLeaf[c];
            }
            return new Trees(forest.build(), width, scored, always, allPositive);
        }

        private static long[] ints(Map<String, Attribute> a, String name) throws Unsupported {
            Attribute at = a.get(name);
            if (at == null || at.ints() == null) throw new Unsupported("no " + name);
            return at.ints();
        }

        /** The _as_tensor attribute when given (ONNX Runtime prefers it), else the float list. */
        private static double[] reals(Map<String, Attribute> a, String tensor, String floats) throws Unsupported {
            Attribute t = a.get(tensor);
            if (t != null && t.reals() != null && t.reals().length > 0) return t.reals();
            if (t != null && t.reals() == null) throw new Unsupported(tensor + " stored outside the model");
            Attribute f = a.get(floats);
            return f == null ? null : f.reals();
        }
    }

    /** Copies one tree into the builder, depth first, translating each mode into a test and the order of its children. */
    private record Walk(Map<Long, Integer> tree, List<String> modes, long[] featureIds, long[] trueIds, long[] falseIds, double[] values,
                        long[] missing, int[] columns, Map<Long, double[]> leafValues, Map<Long, List<Integer>> leafClasses,
                        boolean[] everyLeaf, int[] visited, FlatForest.Builder forest, int width, int only, boolean floatInputs) {
        private static final int MAX_DEPTH = 4000;

        void node(int at, int i, int depth) throws Unsupported {
            if (depth > MAX_DEPTH) throw new Unsupported("a tree deeper than " + MAX_DEPTH);
            visited[0]++;
            String mode = modes.get(i);
            if (mode.equals("LEAF")) {
                double[] weights = leafValues.getOrDefault((long) i, new double[width]);
                forest.leaf(at, only >= 0 ? new double[] {weights[only]} : weights);
                List<Integer> classes = leafClasses.getOrDefault((long) i, List.of());
                for (int c = 0; c < width; c++) everyLeaf[c] &= classes.contains(c);
                return;
            }
            if (featureIds[i] < 0 || featureIds[i] >= columns.length) throw new Unsupported("feature " + featureIds[i] + " beyond the input");
            int column = columns[(int) featureIds[i]];
            double t = values[i];
            if (Double.isNaN(t)) throw new Unsupported("a NaN threshold");
            if (floatInputs && (float) t != t) throw new Unsupported("a double threshold on float32 inputs");
            boolean tracks = missing != null && missing.length > 0 && missing[i] != 0;
            Integer yes = tree.get(trueIds[i]);
            Integer no = tree.get(falseIds[i]);
            if (yes == null || no == null) throw new Unsupported("a branch to a missing node");
            // the first child is taken when the test holds; NaN takes the true branch only when it tracks missing values
            // x < t  <=>  x <= below, among float32 values when the inputs are float32 (the thresholds are then float32 too)
            double below = t == Double.NEGATIVE_INFINITY ? Double.NaN : floatInputs ? Math.nextDown((float) t) : Math.nextDown(t);
            switch (mode) {
                case "BRANCH_LEQ" -> branch(at, column, FlatForest.LEQ, t, tracks, yes, no, depth);
                case "BRANCH_LT" -> branch(at, column, FlatForest.LEQ, below, tracks, yes, no, depth);
                case "BRANCH_GTE" -> branch(at, column, FlatForest.LEQ, below, !tracks, no, yes, depth);
                case "BRANCH_GT" -> branch(at, column, FlatForest.LEQ, t, !tracks, no, yes, depth);
                case "BRANCH_EQ" -> branch(at, column, FlatForest.EQ, t, tracks, yes, no, depth);
                case "BRANCH_NEQ" -> branch(at, column, FlatForest.EQ, t, false, no, yes, depth); // NaN != t holds
                default -> throw new Unsupported("node mode " + mode);
            }
        }

        private void branch(int at, int column, byte test, double threshold, boolean nanFirst, int first, int second, int depth) throws Unsupported {
            int children = forest.split(at, column, test, threshold, nanFirst);
            node(children, first, depth + 1);
            node(children + 1, second, depth + 1);
        }
    }
}
