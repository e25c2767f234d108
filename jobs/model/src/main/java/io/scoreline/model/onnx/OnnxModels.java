package io.scoreline.model.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import io.scoreline.core.error.JobException;
import io.scoreline.model.ModelSpec;
import io.scoreline.model.Score;
import io.scoreline.model.Scorer;
import io.scoreline.model.trees.OnnxTrees;
import java.util.Optional;
import java.util.function.Function;

/**
 * ONNX models: a session built from the model's bytes in memory (never a file), checked against model.json, and the
 * scorer over it. {@link #scorer} is what ModelRegistry calls for format "onnx"; {@link #bind} serves register.
 */
public final class OnnxModels {
    /** Rows scored by both scorers at load; values beyond 1 are compared relatively (float32 near 300 is 2e-5 apart). */
    private static final int PROBES = 256;
    private static final double PARITY = 1e-5;

    private OnnxModels() {}

    /**
     * The scorer of a loaded model: the flattened trees ({@link OnnxTrees}) when the graph is a tree ensemble they
     * reproduce and they agree with ONNX Runtime on probe rows at load, ONNX Runtime otherwise. A model that does not
     * fit its model.json is a model error (exit 5) naming the feature or output that differs.
     */
    public static Scorer scorer(ModelSpec spec, byte[] bytes, String what) {
        OnnxScorer runtime = runtime(spec, bytes, what);
        String why;
        try {
            OnnxProto.Model model = OnnxProto.read(bytes);
            Scorer fast = OnnxTrees.scorer(model, spec);
            Optional<String> differs = differs(fast, runtime, OnnxTrees.probes(model, spec, PROBES));
            if (differs.isEmpty()) {
                runtime.close();
                return fast;
            }
            why = "the flattened trees differ from it on " + differs.get();
        } catch (OnnxTrees.Unsupported e) {
            why = "not a plain tree ensemble: " + e.getMessage();
        } catch (IllegalArgumentException e) {
            why = "graph unread: " + e.getMessage();
        }
        return runtime.describedAs(runtime.describe() + " (" + why + ")");
    }

    /** ONNX Runtime's scorer of a loaded model, checked against its model.json: the reference the flattened trees must match. */
    static OnnxScorer runtime(ModelSpec spec, byte[] bytes, String what) {
        if (spec.onnx() == null) throw JobException.model(what + ": model.json lacks its onnx section (inputs and outputs)", null);
        OrtSession session = open(bytes, what);
        try {
            Graph graph = Graph.of(session);
            new Binder(spec, graph).check(spec.onnx());
            OnnxScorer scorer = new OnnxScorer(session, new Feeds(environment(what), spec, graph), new Answers(spec), what,
                "ONNX Runtime " + environment(what).getVersion());
            probe(scorer, spec, what);
            return scorer;
        } catch (Binder.Mismatch e) {
            closeQuietly(session);
            throw JobException.model(what + " does not fit its model.json: " + e.getMessage(), null);
        } catch (OrtException | RuntimeException e) {
            closeQuietly(session);
            throw e instanceof JobException j ? j : JobException.model(what + ": ONNX Runtime cannot read the model's inputs and"
                + " outputs; --verbose shows its reason", e);
        }
    }

    /** The first probe row on which two scorers disagree (label, or a value beyond {@link #PARITY}), if any. */
    static Optional<String> differs(Scorer a, Scorer b, double[][] rows) {
        Score[] x = new Score[rows.length];
        Score[] y = new Score[rows.length];
        a.score(rows, 0, rows.length, x);
        b.score(rows, 0, rows.length, y);
        for (int i = 0; i < rows.length; i++) {
            if (!java.util.Objects.equals(x[i].label(), y[i].label())) return Optional.of("probe row " + i + " (label)");
            if (!close(x[i].value(), y[i].value())) return Optional.of("probe row " + i + " (value)");
            double[] p = x[i].probabilities();
            double[] q = y[i].probabilities();
            if (p == null != (q == null)) return Optional.of("probe row " + i + " (probabilities)");
            for (int j = 0; p != null && j < p.length; j++) {
                if (!close(p[j], q[j])) return Optional.of("probe row " + i + " (probability " + j + ")");
            }
        }
        return Optional.empty();
    }

    private static boolean close(double a, double b) {
        return Math.abs(a - b) <= PARITY * Math.max(1, Math.abs(b));
    }

    /**
     * model.json for register: its onnx section as given, or derived from the graph's metadata when absent, checked
     * against the graph; a mismatch goes to {@code refuse} (a usage error at register) with the feature that differs.
     */
    public static ModelSpec bind(ModelSpec spec, byte[] bytes, String what, Function<String, RuntimeException> refuse) {
        OrtSession session = open(bytes, what);
        try {
            Binder binder = new Binder(spec, Graph.of(session));
            ModelSpec bound = spec.onnx() != null ? spec : spec.withOnnx(binder.derive());
            binder.check(bound.onnx());
            return bound;
        } catch (Binder.Mismatch e) {
            throw refuse.apply(what + " does not fit its model.json: " + e.getMessage());
        } catch (OrtException e) {
            throw JobException.model(what + ": ONNX Runtime cannot read the model's inputs and outputs; --verbose shows its reason", e);
        } finally {
            closeQuietly(session);
        }
    }

    /** One row of zeros (every category's first level) must score with classes model.json knows. */
    private static void probe(Scorer scorer, ModelSpec spec, String what) {
        Score score = scorer.score(new double[spec.features().size()]);
        if (spec.task() == ModelSpec.Task.CLASSIFICATION && score.value() < 0) {
            throw new Binder.Mismatch("the ONNX model predicts class '" + score.label() + "', which model.json's classes ("
                + String.join(", ", spec.classes()) + ") do not list");
        }
    }

    private static OrtSession open(byte[] bytes, String what) {
        OrtEnvironment env = environment(what);
        try (SessionOptions options = batchOptions()) {
            return env.createSession(bytes, options);
        } catch (OrtException e) {
            String why = e.getCode() == OrtException.OrtErrorCode.ORT_INVALID_PROTOBUF
                ? "its bytes are not a readable ONNX model (truncated, damaged or not ONNX); register it again"
                : "ONNX Runtime " + env.getVersion() + " cannot load it (an operator, opset or type it does not support?);"
                    + " --verbose shows its reason";
            throw JobException.model(what + ": " + why, e);
        }
    }

    /**
     * One thread per session call: predict scores its slices on every core at once and serve scores one request per
     * thread, so ONNX Runtime's own thread pool would only compete with them (and cost more CPU per row when idle
     * threads wait, measured in docs/benchmarks.md). Operators run one after another.
     */
    private static SessionOptions batchOptions() throws OrtException {
        SessionOptions options = new SessionOptions();
        options.setIntraOpNumThreads(1);
        options.setInterOpNumThreads(1);
        options.setExecutionMode(SessionOptions.ExecutionMode.SEQUENTIAL);
        options.setOptimizationLevel(SessionOptions.OptLevel.ALL_OPT);
        options.addConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
    }

    private static OrtEnvironment environment(String what) {
        try {
            return OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "scoreline");
        } catch (LinkageError | IllegalStateException e) {
            throw JobException.model(what + ": ONNX Runtime cannot start on " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch") + " (predict.jar carries its linux-x64 libraries only)", e);
        }
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            // closing a session that failed its checks: nothing left to do
        }
    }
}
