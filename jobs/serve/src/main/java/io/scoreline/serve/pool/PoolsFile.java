package io.scoreline.serve.pool;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import io.scoreline.core.error.JobException;
import io.scoreline.core.records.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;

/** --pools: a JSON file {"pools": [{"name", "index", "query", "id_field", "updated_field", "features"}, …]}. */
public final class PoolsFile {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final ObjectReader READER = Json.MAPPER.readerFor(Root.class).with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @JsonIgnoreProperties(ignoreUnknown = false)
    private record Root(List<PoolSpec> pools) {}

    private PoolsFile() {}

    public static List<PoolSpec> read(Path file) {
        Root root;
        try {
            root = READER.readValue(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw JobException.usage("--pools file " + file + " does not exist");
        } catch (IOException e) {
            throw JobException.usage("--pools file " + file + " is not a valid pools file: " + Json.problem(e));
        }
        if (root == null || root.pools() == null || root.pools().isEmpty()) {
            throw JobException.usage("--pools file " + file + " defines no pool: expected {\"pools\": [{\"name\": …, \"index\": …}]}");
        }
        var names = new HashSet<String>();
        for (PoolSpec pool : root.pools()) {
            if (pool.name() == null || !NAME.matcher(pool.name()).matches()) {
                throw JobException.usage("--pools: pool name '" + pool.name() + "' must be letters, digits, '.', '_' or '-'");
            }
            if (!names.add(pool.name())) throw JobException.usage("--pools: pool '" + pool.name() + "' is defined twice");
            if (pool.index() == null || pool.index().isBlank()) throw JobException.usage("--pools: pool '" + pool.name() + "' has no index");
            if (pool.query() != null && !pool.query().isObject()) {
                throw JobException.usage("--pools: pool '" + pool.name() + "': query must be a JSON object of Query DSL");
            }
            pool.filterFields().forEach((field, type) -> {
                if (!PoolFilter.TYPES.contains(type)) {
                    throw JobException.usage("--pools: pool '" + pool.name() + "': filter field '" + field + "' has type '" + type
                        + "'; use one of " + PoolFilter.TYPES);
                }
            });
        }
        return List.copyOf(root.pools());
    }
}
