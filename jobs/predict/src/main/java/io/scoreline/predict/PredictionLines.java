package io.scoreline.predict;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.scoreline.core.records.Json;
import io.scoreline.model.ModelSpec;
import io.scoreline.model.ModelSpec.Task;
import io.scoreline.model.Score;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * Writes a prediction line as UTF-8 bytes straight away: the same bytes as {@code PredictionRecord} serialized by
 * {@link Json#MAPPER} (field order, escapes, {@link Double#toString} numbers), with the model's names, the classes and
 * the labels escaped once, up front. A score it cannot write this way (a label that is not a class, probabilities that
 * do not match the classes) answers false, and the caller serializes the record as before.
 */
final class PredictionLines {
    private static final byte[] ID = ascii("{\"id\":\""), TIME = ascii("\",\"updated_at\":\""),
        PREDICTION = ascii("\",\"prediction\":"), PROBABILITIES = ascii(",\"probabilities\":");
    private final boolean regression;
    private final boolean usable;
    private final byte[][] classes;  // '{' or ',', then "name":
    private final Map<String, byte[]> labels = new HashMap<>();
    private final byte[] tail;

    PredictionLines(ModelSpec spec) {
        regression = spec.task() == Task.REGRESSION;
        List<String> names = spec.classes() == null ? List.of() : spec.classes();
        classes = new byte[names.size()][];
        boolean ok = spec.name() != null && spec.version() != null && noSurrogates(spec.name()) && noSurrogates(spec.version())
            && new HashSet<>(names).size() == names.size();
        for (int i = 0; i < names.size() && ok; i++) {
            String name = names.get(i);
            ok = name != null && noSurrogates(name);
            if (!ok) break;
            classes[i] = utf8((i == 0 ? "{" : ",") + quoted(name) + ":");
            labels.put(name, utf8(quoted(name)));
        }
        usable = ok;
        tail = ok ? utf8(",\"model\":" + quoted(spec.name()) + ",\"model_version\":" + quoted(spec.version()) + "}\n") : null;
    }

    /** Appends the line (with its newline) for a document whose id and time are plain ASCII; false if it cannot. */
    boolean append(Bytes out, byte[] keys, int idOff, int idLen, int timeOff, int timeLen, Score score) {
        if (!usable) return false;
        byte[] label = null;
        if (!regression) {
            label = labels.get(score.label());
            if (label == null || (score.probabilities() != null && score.probabilities().length != classes.length)) return false;
        }
        out.add(ID);
        out.add(keys, idOff, idLen);
        out.add(TIME);
        out.add(keys, timeOff, timeLen);
        out.add(PREDICTION);
        if (regression) {
            out.addAscii(Double.toString(score.value()));
        } else {
            out.add(label);
            double[] p = score.probabilities();
            if (p != null) {
                out.add(PROBABILITIES);
                for (int i = 0; i < p.length; i++) {
                    out.add(classes[i]);
                    out.addAscii(Double.toString(p[i]));
                }
                out.add((byte) '}');
            }
        }
        out.add(tail);
        return true;
    }

    /** A string as the mapper writes it, quotes and escapes included. */
    private static String quoted(String s) {
        try {
            return Json.MAPPER.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a name", e);
        }
    }

    /** Without surrogates, the mapper's text and its UTF-8 bytes are the same as the generator's raw write of it. */
    private static boolean noSurrogates(String s) {
        for (int i = 0; i < s.length(); i++) if (Character.isSurrogate(s.charAt(i))) return false;
        return true;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
