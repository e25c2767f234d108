package io.scoreline.serve.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoreline.core.records.Json;
import io.scoreline.serve.ServeCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * docs/kibana/scoreline-serve.ndjson, checked without a Kibana: valid NDJSON of saved objects whose references all
 * resolve inside the file, a data view on the default data stream with its time field, and every field a chart uses
 * mapped by the index template with a type that chart can use.
 */
class KibanaObjectsTest {
    private static final Path FILE = Path.of("../../docs/kibana/scoreline-serve.ndjson");
    private static final Set<String> NUMBERS = Set.of("double", "float", "long", "integer", "short", "byte", "scaled_float");

    @Test
    void theSavedObjectsImportAndChartTheFieldsTheTemplateMaps() throws Exception {
        Map<String, JsonNode> byId = new HashMap<>();
        for (String line : Files.readAllLines(FILE)) {
            if (line.isBlank()) continue;
            JsonNode object = Json.MAPPER.readTree(line);
            assertTrue(object.isObject() && object.path("id").isTextual() && object.path("type").isTextual()
                && object.path("attributes").isObject() && object.path("references").isArray(), line);
            assertEquals(null, byId.put(object.get("type").asText() + "/" + object.get("id").asText(), object), "one object per id: " + line);
        }
        JsonNode mappings = LogTemplate.mappings();
        String dataStream = new CommandLine(new ServeCommand()).getCommandSpec().findOption("--log-data-stream").defaultValue();
        JsonNode dataView = byId.get("index-pattern/" + dataStream);
        assertNotNull(dataView, "a data view on the default data stream " + dataStream);
        assertEquals(dataStream, dataView.path("attributes").path("title").asText());
        assertEquals("date", type(mappings, dataView.path("attributes").path("timeFieldName").asText()));

        int charts = 0;
        for (JsonNode object : byId.values()) {
            for (JsonNode reference : object.get("references")) {
                String target = reference.path("type").asText() + "/" + reference.path("id").asText();
                assertTrue(byId.containsKey(target), object.get("id") + " refers to " + target + ", which the file lacks");
            }
            if (object.get("type").asText().equals("lens")) {
                checkLens(object, mappings);
                charts++;
            }
            if (object.get("type").asText().equals("dashboard")) checkDashboard(object);
        }
        assertEquals(4, charts, "requests/s, latency percentiles, fallbacks by reason, score distribution");
    }

    private static void checkLens(JsonNode lens, JsonNode mappings) {
        JsonNode layers = lens.path("attributes").path("state").path("datasourceStates").path("formBased").path("layers");
        assertTrue(layers.size() > 0, lens.get("id").asText());
        Set<String> references = new HashSet<>();
        lens.get("references").forEach(r -> references.add(r.path("name").asText()));
        layers.properties().forEach(layer -> {
            assertTrue(references.contains("indexpattern-datasource-layer-" + layer.getKey()), "layer " + layer.getKey() + " has its data view");
            layer.getValue().path("columns").properties().forEach(column -> {
                JsonNode c = column.getValue();
                String field = c.path("sourceField").asText(), operation = c.path("operationType").asText();
                if (field.equals("___records___")) return;
                String type = type(mappings, field);
                String where = lens.get("id").asText() + ": " + operation + " of " + field + " (" + type + ")";
                switch (operation) {
                    case "date_histogram" -> assertEquals("date", type, where);
                    case "terms" -> assertEquals("keyword", type, where);
                    default -> assertTrue(NUMBERS.contains(type), where);
                }
            });
        });
    }

    private static void checkDashboard(JsonNode dashboard) throws Exception {
        Set<String> references = new HashSet<>();
        dashboard.get("references").forEach(r -> references.add(r.path("name").asText()));
        JsonNode panels = Json.MAPPER.readTree(dashboard.path("attributes").path("panelsJSON").asText());
        assertEquals(4, panels.size());
        for (JsonNode panel : panels) {
            String name = panel.path("panelIndex").asText() + ":" + panel.path("panelRefName").asText();
            assertTrue(references.contains(name), "panel " + name + " has a reference");
        }
        Json.MAPPER.readTree(dashboard.path("attributes").path("optionsJSON").asText());
        Json.MAPPER.readTree(dashboard.path("attributes").path("kibanaSavedObjectMeta").path("searchSourceJSON").asText());
    }

    /** The mapped type of a field (a dotted path into object fields), or "unmapped". */
    private static String type(JsonNode mappings, String field) {
        JsonNode node = mappings;
        for (String part : field.split("\\.")) node = node.path("properties").path(part);
        return node.path("type").asText("unmapped");
    }
}
