package io.scoreline.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoreline.core.records.Json;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A time the check accepts is read by the mapper into an Instant whose toString() is that very text. */
class CanonicalInstantTest {
    @Test
    void acceptedTimesAreWrittenBackUnchanged() throws Exception {
        Random random = new Random(11);
        int accepted = 0;
        for (int i = 0; i < 100_000; i++) {
            String s = candidate(random);
            if (!CanonicalInstant.is(s.toCharArray(), 0, s.length())) continue;
            accepted++;
            assertEquals(s, Json.MAPPER.readValue("\"" + s + "\"", Instant.class).toString(), s);
        }
        assertTrue(accepted > 10_000, "accepted " + accepted);
        for (int i = 0; i < 20_000; i++) {  // and every Instant's own text in the years it handles is accepted
            Instant t = Instant.ofEpochSecond(random.nextLong(-30_000_000_000L, 250_000_000_000L), random.nextInt(4) == 0 ? 0
                : random.nextBoolean() ? random.nextInt(1000) * 1_000_000 : random.nextInt(1_000_000_000));
            String s = t.toString();
            assertEquals(s.length() >= 20 && s.charAt(0) != '+' && s.charAt(0) != '-' && s.compareTo("1000") >= 0,
                CanonicalInstant.is(s.toCharArray(), 0, s.length()), s);
        }
    }

    /** Near-canonical text: random digits in every field, edge values, and fractions of every length. */
    private static String candidate(Random r) {
        String[] years = {"0999", "1000", "1900", "2000", "2024", "2025", "2100", "9999", "2a26"};
        String date = years[r.nextInt(years.length)] + "-" + two(r, 0, 13) + "-" + two(r, 0, 32);
        String time = two(r, 0, 25) + ":" + two(r, 0, 61) + ":" + two(r, 0, 61);
        int digits = r.nextInt(11);
        StringBuilder fraction = new StringBuilder(digits == 0 ? "" : ".");
        for (int i = 0; i < digits; i++) fraction.append(r.nextInt(3) == 0 ? '0' : (char) ('0' + r.nextInt(10)));
        String[] zones = {"Z", "Z", "Z", "z", "+00:00"};
        return date + (r.nextInt(20) == 0 ? " " : "T") + time + fraction + zones[r.nextInt(zones.length)];
    }

    private static String two(Random r, int from, int to) {
        return String.format("%02d", r.nextInt(from, to));
    }
}
