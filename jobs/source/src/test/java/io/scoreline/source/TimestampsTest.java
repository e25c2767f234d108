package io.scoreline.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.scoreline.core.records.Json;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Update times as sources store them; anything else is "not a time" (null), never an exception. */
class TimestampsTest {
    private static final Instant T = Instant.parse("2026-01-02T03:04:05Z");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static Instant parse(String json) throws Exception {
        return Timestamps.parse(Json.MAPPER.readTree(json));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"2026-01-02T03:04:05Z\"", "\"2026-01-02T05:04:05+02:00\"", "\"2026-01-01T22:04:05-05:00\"",
        "\" 2026-01-02T03:04:05Z \"", "\"2026-01-02T03:04:05.000Z\""})
    void isoWithZoneOrOffset(String json) throws Exception {
        assertEquals(T, parse(json));
    }

    @Test
    void keepsFractionsOfSeconds() throws Exception {
        assertEquals(Instant.parse("2026-01-02T03:04:05.123456Z"), parse("\"2026-01-02T03:04:05.123456Z\""));
    }

    @Test
    void localDateTimeIsUtc() throws Exception {
        assertEquals(T, parse("\"2026-01-02T03:04:05\""));
    }

    @Test
    void dateIsMidnightUtc() throws Exception {
        assertEquals(Instant.parse("2026-01-02T00:00:00Z"), parse("\"2026-01-02\""));
    }

    @Test
    void epochMillisAsNumberOrString() throws Exception {
        long millis = T.toEpochMilli() + 678;
        assertEquals(T.plusMillis(678), parse(Long.toString(millis)));
        assertEquals(T.plusMillis(678), parse("\"" + millis + "\""));
        assertEquals(Instant.ofEpochMilli(1_000_000_000L), parse("\"1000000000\"")); // ten digits: still milliseconds
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"yesterday\"", "\"\"", "\"2026-13-01\"", "\"2026-01-02T25:00:00Z\"", "\"12345\"", "\"-1767322245000\"",
        "true", "{}", "[1767322245000]", "null", "1.767322245E12",
        "\"99999999999999999999\"", "99999999999999999999"})
    void anythingElseIsNotATime(String json) throws Exception {
        assertNull(parse(json), json);
    }

    @Test
    void missingIsNotATime() {
        assertNull(Timestamps.parse(null));
        assertNull(Timestamps.parse(NODES.missingNode()));
    }

    @Test
    void integerBeyondLongIsNotATime() {
        JsonNode huge = NODES.numberNode(BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.TEN));
        assertNull(Timestamps.parse(huge));
    }

    @Test
    void formatsAsInstantToStringDoes() {
        var random = new java.util.Random(7);
        List<Instant> instants = new ArrayList<>(List.of(Instant.EPOCH, Instant.parse("0000-01-01T00:00:00Z"),
            Instant.parse("9999-12-31T23:59:59.999999999Z"), Instant.parse("-0001-12-31T23:59:59Z"), Instant.parse("+10000-01-01T00:00:00Z"),
            Instant.parse("1969-12-31T23:59:59.9Z"), Instant.parse("2024-02-29T12:00:00.000100Z"), Instant.MIN, Instant.MAX));
        for (int i = 0; i < 100_000; i++) {
            long seconds = random.nextLong(-62_167_219_200L, 253_402_300_800L);  // years 0..9999
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            instants.add(Instant.ofEpochSecond(seconds, nanos));
        }
        for (Instant t : instants) assertEquals(t.toString(), Timestamps.format(t));
    }
}
