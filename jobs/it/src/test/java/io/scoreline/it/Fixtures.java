package io.scoreline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoreline.core.records.Json;
import io.scoreline.core.store.Digests;
import io.scoreline.core.store.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/** Test data and readers shared by the black-box tests. */
final class Fixtures {
    private static Path modelDir;

    private Fixtures() {}

    /** A small churn model, trained once per JVM by predict.jar itself from the demo's generator. */
    static synchronized Path model() throws IOException {
        if (modelDir != null) return modelDir;
        Path dir = Files.createTempDirectory("scoreline-model-");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try {
            Process gen = new ProcessBuilder(java, Jobs.ROOT.resolve("demo/SampleData.java").toString(), "training",
                dir.resolve("training.csv").toString(), "2000", "3").inheritIO().start();
            assertEquals(0, gen.waitFor(), "sample data generator failed");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        var trained = Jobs.run(Map.of(), "predict", "train", "--data", dir.resolve("training.csv").toString(),
            "--target", "churned", "--trees", "20", "--out", dir.resolve("model").toString());
        assertEquals(0, trained.exit(), trained.toString());
        modelDir = dir.resolve("model");
        return modelDir;
    }

    static void register(TestStore store, String version) throws IOException {
        var r = Jobs.run(store.env(), "predict", "register", "--model-dir", model().toString(), "--model", "churn",
            "--model-version", version, "--alias", "production");
        assertEquals(0, r.exit(), r.toString());
    }

    /** Appends documents cust-from … cust-(from+count-1), all updated at {@code at}; tenure varies so scores differ. */
    static void appendDocuments(Path file, int from, int count, Instant at, int tenure) throws IOException {
        appendRaw(file, documents(from, count, at, tenure));
    }

    /** The NDJSON text of documents cust-from … cust-(from+count-1), as {@link #appendDocuments} writes them. */
    static String documents(int from, int count, Instant at, int tenure) {
        StringBuilder lines = new StringBuilder();
        for (int i = from; i < from + count; i++) {
            lines.append(String.format(Locale.ROOT, "{\"id\":\"cust-%05d\",\"updated_at\":\"%s\",\"tenure_months\":%d,"
                + "\"monthly_charges\":%.1f,\"support_tickets\":%d,\"contract\":\"month-to-month\",\"has_partner\":%b,"
                + "\"region\":\"north\"}%n", i, at, tenure, 20.0 + i % 80, i % 5, i % 2 == 0));
        }
        return lines.toString();
    }

    static void appendRaw(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Every record of a gzip NDJSON object, by id. */
    static Map<String, JsonNode> records(TestStore store, String key) {
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        for (JsonNode node : lines(store, key)) byId.put(node.path("id").asText(), node);
        return byId;
    }

    /** Every record of a gzip NDJSON object, in order; reading to the end proves the gzip stream is whole. */
    static List<JsonNode> lines(TestStore store, String key) {
        List<JsonNode> records = new ArrayList<>();
        try (ObjectStore s = store.open(); InputStream in = new GZIPInputStream(s.open(key))) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) records.add(Json.MAPPER.readTree(line));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return records;
    }

    static JsonNode json(TestStore store, String key) {
        try (ObjectStore s = store.open(); InputStream in = s.open(key)) {
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(TestStore store, String key) {
        try (ObjectStore s = store.open(); InputStream in = s.open(key)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(TestStore store, String key) {
        return Digests.sha256Hex(bytes(store, key));
    }

    /** The sha256 of every object under these prefixes, by key: two equal maps mean not one byte changed there. */
    static Map<String, String> digests(TestStore store, String... prefixes) {
        Map<String, String> digests = new java.util.TreeMap<>();
        for (String prefix : prefixes) {
            for (String key : store.list(prefix)) digests.put(key, sha256(store, key));
        }
        return digests;
    }
}
