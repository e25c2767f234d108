package io.scoreline.core.error;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** {@code exit-codes.json}: the exit-code table and the alert fields, the one source Java and the DAGs read. */
public final class ExitCodeTable {
    public static final String RESOURCE = "exit-codes.json";

    /** One row of the table. */
    public record Row(int code, String name, String meaning, boolean retried) {}

    private static final JsonNode FILE = read();
    private static final Map<ExitCode, Row> ROWS = rows();

    private ExitCodeTable() {}

    public static Row row(ExitCode code) {
        return ROWS.get(code);
    }

    /** The fields every failure alert carries, in order. */
    public static List<String> alertFields() {
        List<String> fields = new ArrayList<>();
        FILE.path("alert_fields").fieldNames().forEachRemaining(fields::add);
        return fields;
    }

    private static JsonNode read() {
        try (InputStream in = ExitCodeTable.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException(RESOURCE + " is missing from the jar");
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<ExitCode, Row> rows() {
        Map<ExitCode, Row> rows = new EnumMap<>(ExitCode.class);
        for (JsonNode r : FILE.path("exit_codes")) {
            var row = new Row(r.path("code").asInt(), r.path("name").asText(), r.path("meaning").asText(), r.path("retried").asBoolean());
            rows.put(ExitCode.valueOf(row.name()), row);
        }
        if (rows.size() != ExitCode.values().length) throw new IllegalStateException(RESOURCE + " lacks exit codes: " + rows.keySet());
        return rows;
    }
}
