package io.scoreline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoreline.core.records.Json;
import org.junit.jupiter.api.Test;

/** predict.jar train, as a user runs it. */
class TrainCommandTest {

    @Test
    void modelJsonRecordsTheSmileVersionNotScorelines() throws Exception {
        JsonNode spec = Json.MAPPER.readTree(Fixtures.model().resolve("model.json").toFile());
        String expected = smile.classification.Classifier.class.getPackage().getImplementationVersion();
        assertEquals(expected, spec.path("training").path("smile_version").asText(), spec.toString());
    }
}
