package io.scoreline.fetch;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Update times as sources store them: ISO-8601 (with or without offset, or a date) or epoch milliseconds. */
final class Timestamps {
    private Timestamps() {}

    /** The instant, or null when the value is not a time. */
    static Instant parse(JsonNode value) {
        if (value == null || value.isNull()) return null;
        if (value.isIntegralNumber()) return value.canConvertToLong() ? Instant.ofEpochMilli(value.asLong()) : null;
        if (!value.isTextual()) return null;
        String text = value.asText().trim();
        if (text.matches("\\d{10,}")) {
            try {
                return Instant.ofEpochMilli(Long.parseLong(text));
            } catch (NumberFormatException beyondLong) {
                return null;
            }
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notOffset) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notLocal) {
                try {
                    return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
                } catch (DateTimeParseException notDate) {
                    return null;
                }
            }
        }
    }
}
