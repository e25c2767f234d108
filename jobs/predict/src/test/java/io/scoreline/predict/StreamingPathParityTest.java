package io.scoreline.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoreline.core.records.Document;
import io.scoreline.core.records.Json;
import io.scoreline.model.LoadedModel;
import io.scoreline.model.ModelRegistry;
import io.scoreline.model.ModelSpec.Task;
import io.scoreline.model.Score;
import io.scoreline.model.Vectorizer;
import io.scoreline.predict.train.Algorithm;
import io.scoreline.predict.train.Rows;
import io.scoreline.predict.train.Trainer;
import io.scoreline.predict.train.TrainingData;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The fast path (the plain line read byte by byte, predictions written as bytes) gives, line for line, what the
 * whole-tree path gives: the same prediction bytes and the same rejections, on ordinary lines, on values it fills in
 * (missing, null, unseen levels) and on every odd form of a field it must hand over (escapes, duplicates, times not in
 * Instant's form, nested or huge values).
 */
class StreamingPathParityTest {
    private static final String F = "\"features\":{\"x1\":0.25,\"x2\":-0.5,\"flag\":true,\"color\":\"red\"}";
    private static final String T = "\"updated_at\":\"2026-01-01T10:00:00Z\"";
    private static final List<String> ODD = List.of(
        "{\"id\":\"a\"," + T + "," + F + "}",
        "{" + F + "," + T + ",\"id\":\"features-first\"}",
        "{\"id\":\"a\"," + T + "," + F + "} trailing",
        "  {\"id\":\"leading-space\"," + T + "," + F + "}",
        "{\"id\":\"q\\\"uote\"," + T + "," + F + "}",
        "{\"id\":\"back\\\\slash\"," + T + "," + F + "}",
        "{\"id\":\"\\u0041-escaped\"," + T + "," + F + "}",
        "{\"id\":\"caf\u00e9\"," + T + "," + F + "}",
        "{\"id\":\"line\\u2028sep\"," + T + "," + F + "}",
        "{\"id\":\"emoji-\ud83d\ude00\"," + T + "," + F + "}",
        "{\"id\":\"tab\\there\"," + T + "," + F + "}",
        "{\"id\":\"del\u007f\"," + T + "," + F + "}",
        "{\"id\":\"\"," + T + "," + F + "}",
        "{\"id\":123," + T + "," + F + "}",
        "{\"id\":null," + T + "," + F + "}",
        "{" + T + "," + F + "}",
        "{\"id\":\"dup\",\"id\":\"dup2\"," + T + "," + F + "}",
        "{\"id\":\"a\",\"updated_at\":\"2026-01-01T10:00:00.500Z\"," + F + "}",
        "{\"id\":\"a\",\"updated_at\":\"2026-01-01T10:00:00.5Z\"," + F + "}",
        "{\"id\":\"a\",\"updated_at\":\"2026-01-01T10:00:00.000Z\"," + F + "}",
        "{\"id\":\"a\",\"updated_at\":\"2026-01-01T10:00:00.123000Z\"," + F + "}",
        "{\"id\":\"a\",\"updated_at\":\"2026-01-01T10:00:00.123456Z\"," + F + "}",
        "{\"id\":\"a\",\"updated_at\":\"2026-01-01T10:00:00.123456789Z\"," + F + "}",
        "{\"id\":\"a\",\"updated_at\":\"2026-01-01T10:00:00+00:00\"," + F + "}",
        "{\"id\":\"a\",\"updated_at\":\"2026-01-01T10:00:00z\"," + F + "}",
        "{\"id\":\"a\",\"updated_at\":\"2024-02-29T10:00:00Z\"," + F + "}",
        "{\"id\":\"a\",\"updated_at\":\"2025-02-29T10:00:00Z\"," + F + "}",
        "{\"id\":\"a\",\"updated_at\":\"2026-01-01T24:00:00Z\"," + F + "}",
        "{\"id\":\"a\",\"updated_at\":\"2026-01-01T23:59:60Z\"," + F + "}",
        "{\"id\":\"a\",\"updated_at\":1767261600," + F + "}",
        "{\"id\":\"a\",\"updated_at\":null," + F + "}",
        "{\"id\":\"a\"," + F + "}",
        "{\"id\":\"a\"," + T + "}",
        "{\"id\":\"a\"," + T + ",\"features\":null}",
        "{\"id\":\"a\"," + T + ",\"features\":[1,2]}",
        "{\"id\":\"a\"," + T + "," + F + "," + F + "}",
        "{\"id\":\"a\"," + T + ",\"features\":{\"x1\":1,\"x1\":2,\"x2\":0,\"flag\":false,\"color\":\"blue\"}}",
        "{\"id\":\"a\"," + T + ",\"features\":{\"x1\":{\"n\":1},\"x2\":0,\"flag\":false,\"color\":\"blue\"}}",
        "{\"id\":\"a\"," + T + ",\"features\":{\"x1\":[1],\"x2\":0,\"flag\":false,\"color\":\"blue\"}}",
        "{\"id\":\"a\"," + T + ",\"features\":{\"x1\":\" 0.3 \",\"x2\":0,\"flag\":\"yes\",\"color\":\"blue\"}}",
        "{\"id\":\"a\"," + T + ",\"features\":{\"x1\":123456789012345678901234567890,\"x2\":12345678901,\"flag\":1,\"color\":\"blue\"}}",
        "{\"id\":\"a\"," + T + ",\"features\":{\"x1\":1e999,\"x2\":0,\"flag\":false,\"color\":\"blue\"}}",
        "{\"id\":\"a\"," + T + ",\"features\":{\"x1\":-0.0,\"x2\":0,\"flag\":false,\"color\":\"purple\"}}",
        "{\"id\":\"a\"," + T + ",\"features\":{}}",
        "{\"id\":\"a\"," + T + ",\"features\":{\"x1\":null,\"x2\":null,\"flag\":null,\"color\":null}}",
        "{\"id\":\"a\"," + T + ",\"features\":{\"x2\":0.5,\"color\":\"mauve\"}}",
        "{\"id\":\"a\"," + T + ",\"features\":{\"x1\":0.1,\"x2\":0.2,\"flag\":true,\"color\":\"\"}}",
        "{\"id\":\"a\"," + T + ",\"features\":{\"x1\":\"abc\",\"x2\":0,\"flag\":false,\"color\":\"blue\"}}",
        "{\"id\":\"a\"," + T + ",\"features\":{\"x1\":0.1,\"flag\":2,\"color\":\"blue\"}}",
        "{\"id\":\"a\"," + T + ",\"features\":{\"x\\u0031\":0.1,\"x2\":0.2,\"flag\":null,\"color\":7}}",
        "{\"id\":\"a\"," + T + ",\"features\":{\"x1\":0.1,\"x2\":0.2,\"flag\":false,\"color\":\"red\",\"extra\":{\"deep\":[[[{\"s\":\"\\u00e9\"}]]]}}}",
        "{\"id\":\"a\"," + T + ",\"other\":{\"a\":[1,2,{\"b\":null}]},\"other\":3," + F + "}",
        "{\"id\":\"a\"," + T + ",\"other\":[1,2," + F + "}",
        "{\"id\":\"a\"," + T + ",\"other\":01," + F + "}",
        "{\"id\":\"a\"," + T + ",\"other\":\"bad \\x escape\"," + F + "}",
        "{\"id\":\"a\"," + T + ",\"other\":\"" + "[".repeat(5) + "\"," + F + "}",
        "{\"id\":\"a\"," + T + ",\"other\":" + "[".repeat(995) + "]".repeat(995) + "," + F + "}",
        "{\"id\":\"a\"," + T + ",\"other\":" + "[".repeat(1005) + "]".repeat(1005) + "," + F + "}",
        "[1,2,3]",
        "\"just a string\"",
        "not json at all",
        "{\"id\":\"a\"," + T + "," + F);

    @ParameterizedTest
    @EnumSource(Task.class)
    void theStreamingPathWritesWhatTheWholeTreeWrites(Task task) throws Exception {
        var data = TrainingData.prepare(Rows.generate(task, 300, 3), "target", List.of(), List.of("id"), task);
        Trainer.Trained trained = Trainer.train(data, task, Algorithm.RANDOM_FOREST, "target", 20, "generated");
        var spec = trained.spec().withIdentity("mod\u00e8le \"one\"", "v1", "0".repeat(64), trained.bytes().length);
        var model = new LoadedModel(spec, ModelRegistry.inspect(spec, trained.bytes(), "fast"));
        List<String> lines = new ArrayList<>(ODD);
        for (var row : Rows.generate(task, 3000, 5)) {  // ordinary documents, with Instant's own times
            String id = row.remove("id").asText();
            row.remove("target");
            lines.add(Json.MAPPER.valueToTree(new Document(id, java.time.Instant.ofEpochMilli(1767261600000L + lines.size() * 137L), row)).toString());
        }
        var chunk = new LineChunk(lines.size());
        for (String line : lines) {
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            chunk.add(b, b.length);
        }
        ScoredSlice fast = new SliceScoring(model).score(chunk, 0, lines.size());
        int streamed = 0;
        for (int i = 0; i < lines.size(); i++) {
            String expected = wholeTree(model, lines.get(i));
            String actual = fast.text[i] != null ? (fast.rejected[i] ? "rejected " : "") + fast.text[i] : line(fast, i);
            if (fast.text[i] == null) streamed++;
            assertEquals(expected, actual, "line " + i + ": " + lines.get(i));
        }
        assertTrue(streamed >= 3000, "ordinary lines take the streaming path: " + streamed);
    }

    /** What predict wrote for a line before the streaming path: parse the tree, vectorize, score alone, serialize. */
    private static String wholeTree(LoadedModel model, String line) {
        Document doc;
        try {
            doc = WholeTree.parse(line);
        } catch (WholeTree.Rejected e) {
            return "rejected " + e.record();
        }
        double[][] rows = new double[1][];
        try {
            rows[0] = model.vectorizer().row(doc.features());
        } catch (Vectorizer.InvalidFeature e) {
            return "rejected " + WholeTree.reject(doc.id(), line, e.getMessage());
        }
        Score[] scores = new Score[1];
        model.scorer().score(rows, 0, 1, scores);
        if (!scores[0].isFinite()) return "rejected " + WholeTree.reject(doc.id(), line, "the model returned a non-finite score");
        return WholeTree.prediction(doc.id(), doc.updatedAt(), scores[0], model.spec());
    }

    private static String line(ScoredSlice slice, int i) {
        int start = 0;
        for (int j = i - 1; j >= 0; j--) {
            if (slice.text[j] == null) {
                start = slice.ends[j];
                break;
            }
        }
        String s = new String(slice.lines.data(), start, slice.ends[i] - start, StandardCharsets.UTF_8);
        assertTrue(s.endsWith("\n"), s);
        return s.substring(0, s.length() - 1);
    }
}
