package io.scoreline.serve.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.scoreline.core.error.ExitCode;
import io.scoreline.core.error.JobException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PoolsFileTest {
    @TempDir Path dir;

    private List<PoolSpec> read(String json) throws Exception {
        Path file = dir.resolve("pools.json");
        Files.writeString(file, json);
        return PoolsFile.read(file);
    }

    private String refused(String json) {
        var e = assertThrows(JobException.class, () -> read(json));
        assertEquals(ExitCode.USAGE, e.exitCode());
        return e.getMessage();
    }

    @Test
    void readsPoolsWithTheJobsDefaults() throws Exception {
        var pools = read("""
            {"pools": [{"name": "items", "index": "items-*", "query": {"term": {"active": true}}, "features": ["a", "b"]},
                       {"name": "users", "index": "users", "id_field": "_id", "updated_field": "modified"}]}""");
        assertEquals(new PoolSpec("users", "users", null, "_id", "modified", List.of()), pools.get(1));
        assertEquals("id", pools.get(0).idField());
        assertEquals("updated_at", pools.get(0).updatedField());
        assertEquals(List.of("a", "b"), pools.get(0).features());
    }

    @Test
    void refusesWhatCannotBeAPool() {
        assertEquals("--pools: pool 'p' is defined twice",
            refused("{\"pools\": [{\"name\": \"p\", \"index\": \"i\"}, {\"name\": \"p\", \"index\": \"j\"}]}"));
        assertEquals("--pools: pool 'p' has no index", refused("{\"pools\": [{\"name\": \"p\"}]}"));
        assertEquals("--pools: pool name 'a b' must be letters, digits, '.', '_' or '-'",
            refused("{\"pools\": [{\"name\": \"a b\", \"index\": \"i\"}]}"));
        assertEquals("--pools: pool 'p': query must be a JSON object of Query DSL",
            refused("{\"pools\": [{\"name\": \"p\", \"index\": \"i\", \"query\": \"active\"}]}"));
        refused("{\"pools\": []}");
        // a typo is not ignored; what is wrong is said in the file's terms, never with the parser's Java names
        assertEquals("--pools file " + dir.resolve("pools.json") + " is not a valid pools file: field 'pools[0].idfield' is not one it may"
            + " have (a typo?)", refused("{\"pools\": [{\"name\": \"p\", \"index\": \"i\", \"idfield\": \"x\"}]}"));
        assertEquals("--pools file " + dir.resolve("pools.json") + " is not a valid pools file: field 'pools[0].features' is missing or"
            + " has a value of the wrong type", refused("{\"pools\": [{\"name\": \"p\", \"index\": \"i\", \"features\": \"a\"}]}"));
        assertEquals("--pools file " + dir.resolve("pools.json") + " is not a valid pools file: not JSON (line 1, column 38)",
            refused("{\"pools\": [{\"name\": \"p\", \"index\": \"i\""));
        refused("not json");
    }
}
