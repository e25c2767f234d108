package io.scoreline.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoreline.core.records.UtcTimes;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/** Update times as sources store them (ISO-8601 with or without offset, a date, or epoch milliseconds), and as fetch writes them. */
public final class Timestamps {
    private static final long YEAR_0 = -62_167_219_200L, YEAR_10000 = 253_402_300_800L;  // epoch seconds
    private static final Pattern EPOCH_MILLIS = Pattern.compile("\\d{10,}");

    /**
     * Update times fetch accepts: from the Unix epoch (sources count time from it; earlier is a default or a typo) to
     * the end of 2099 (a window ends at the run's time, so nothing later is ever read). Outside, a document is rejected.
     */
    public static final String PLAUSIBLE = "1970-01-01T00:00:00Z .. 2099-12-31T23:59:59Z";
    private static final long PLAUSIBLE_FROM = 0, PLAUSIBLE_UNTIL = 4_102_444_800L;  // epoch seconds, [from, until)

    private Timestamps() {}

    public static boolean plausible(Instant t) {
        long seconds = t.getEpochSecond();
        return seconds >= PLAUSIBLE_FROM && seconds < PLAUSIBLE_UNTIL;
    }

    /** The instant, or null when the value is not a time. */
    public static Instant parse(JsonNode value) {
        if (value == null || value.isNull()) return null;
        if (value.isIntegralNumber()) return value.canConvertToLong() ? Instant.ofEpochMilli(value.asLong()) : null;
        return value.isTextual() ? parseText(value.asText()) : null;
    }

    /** The instant a text value holds, or null when it is not a time. */
    public static Instant parseText(String value) {
        String text = value.trim();
        Instant utc = UtcTimes.plain(text);  // first, by hand: nearly every document has this form, and it cut fetch's CPU by a quarter
        if (utc != null) return utc;
        if (EPOCH_MILLIS.matcher(text).matches()) {
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

    /**
     * The instant as {@link Instant#toString} writes it (ISO-8601 in UTC, the fraction in groups of three digits, none
     * when zero), built by hand for years 0-9999: the JDK's formatter was a fifth of serializing a document.
     */
    public static String format(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < YEAR_0 || seconds >= YEAR_10000) return instant.toString();
        LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, instant.getNano(), ZoneOffset.UTC);
        int nanos = t.getNano();
        int fractionDigits = nanos == 0 ? 0 : nanos % 1_000_000 == 0 ? 3 : nanos % 1000 == 0 ? 6 : 9;
        byte[] text = new byte[20 + (fractionDigits == 0 ? 0 : 1 + fractionDigits)];
        put(text, 0, 4, t.getYear());
        text[4] = '-';
        put(text, 5, 2, t.getMonthValue());
        text[7] = '-';
        put(text, 8, 2, t.getDayOfMonth());
        text[10] = 'T';
        put(text, 11, 2, t.getHour());
        text[13] = ':';
        put(text, 14, 2, t.getMinute());
        text[16] = ':';
        put(text, 17, 2, t.getSecond());
        if (fractionDigits > 0) {
            text[19] = '.';
            put(text, 20, fractionDigits, nanos / (fractionDigits == 3 ? 1_000_000 : fractionDigits == 6 ? 1000 : 1));
        }
        text[text.length - 1] = 'Z';
        return new String(text, StandardCharsets.ISO_8859_1);
    }

    /** Writes value as exactly {@code width} decimal digits, zero-padded, at text[from]. */
    private static void put(byte[] text, int from, int width, int value) {
        for (int i = from + width - 1; i >= from; i--, value /= 10) text[i] = (byte) ('0' + value % 10);
    }
}
