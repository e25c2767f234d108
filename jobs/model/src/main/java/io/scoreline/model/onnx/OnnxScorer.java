package io.scoreline.model.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.scoreline.core.error.JobException;
import io.scoreline.model.Score;
import io.scoreline.model.Scorer;
import java.util.Map;
import java.util.Set;

/**
 * Scores with an ONNX Runtime session: one session call per batch (the session spreads it over its intra-op threads),
 * so the batch method is the fast path; a single row is a batch of one. Thread-safe: sessions allow concurrent runs.
 */
public final class OnnxScorer implements Scorer, AutoCloseable {
    private final OrtSession session;
    private final Feeds feeds;
    private final Answers answers;
    private final Set<String> outputs;
    private final String what;
    private final String description;

    OnnxScorer(OrtSession session, Feeds feeds, Answers answers, String what, String description) {
        this.session = session;
        this.feeds = feeds;
        this.answers = answers;
        this.outputs = answers.names();
        this.what = what;
        this.description = description;
    }

    /** The same scorer (and session), described otherwise in the job's log. */
    OnnxScorer describedAs(String text) {
        return new OnnxScorer(session, feeds, answers, what, text);
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public Score score(double[] row) {
        Score[] out = new Score[1];
        score(new double[][] {row}, 0, 1, out);
        return out[0];
    }

    @Override
    public void score(double[][] rows, int from, int to, Score[] out) {
        if (to <= from) return;
        Map<String, OnnxTensor> inputs = null;
        try {
            inputs = feeds.build(rows, from, to);
            try (OrtSession.Result result = session.run(inputs, outputs)) {
                answers.read(result, to - from, out, from);
            }
        } catch (OrtException | RuntimeException e) {
            throw JobException.model(what + ": ONNX Runtime failed to score " + (to - from) + " rows"
                + (e instanceof OrtException ? "" : " (" + e.getMessage() + ")") + "; --verbose shows its reason", e);
        } finally {
            if (inputs != null) Feeds.close(inputs);
        }
    }

    /** Frees the native session (a long-lived service that swaps models calls this; a job simply exits). */
    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot close the ONNX session of " + what, e);
        }
    }
}
