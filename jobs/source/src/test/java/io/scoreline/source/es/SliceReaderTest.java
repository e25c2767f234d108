package io.scoreline.source.es;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.scoreline.core.records.Json;
import org.junit.jupiter.api.Test;

class SliceReaderTest {

    @Test
    void aRejectedIdWithQuotesAndBackslashesIsStillOneJsonObject() throws Exception {
        String id = "a\"b\\c\n}";
        String line = SliceReader.idOnly(id);
        assertEquals(id, Json.MAPPER.readTree(line).get("_id").asText());
        assertEquals(1, Json.MAPPER.readTree(line).size());
    }
}
