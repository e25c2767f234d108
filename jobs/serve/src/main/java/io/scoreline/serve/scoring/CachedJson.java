package io.scoreline.serve.scoring;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.scoreline.core.records.Json;
import java.io.IOException;
import java.util.Optional;

/** The JSON text of answers kept in the cache: written after a model answer, read back as the cache fallback. */
final class CachedJson {
    private CachedJson() {}

    static byte[] write(Object value) {
        try {
            return Json.MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JSON text of a value, for a part of a cached answer written once and used many times. */
    static String text(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Empty when the text is not of this form (written by another version): as good as no answer. */
    static <T> Optional<T> read(byte[] json, Class<T> type) {
        try {
            return Optional.of(Json.MAPPER.readValue(json, type));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
