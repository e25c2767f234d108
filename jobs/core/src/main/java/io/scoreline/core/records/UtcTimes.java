package io.scoreline.core.records;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Update times in the form Scoreline writes ({@code 2026-11-25T09:58:12Z}, optionally with a fraction of up to
 * nine digits) digit by digit, anything else by {@link Instant#parse}, which gives the same instant for that form.
 * Instant.parse on every line of a small cycle cost more in C2 compiling its formatter than in parsing.
 */
public final class UtcTimes {
    private static final int DATE_TIME = 19;  // yyyy-MM-ddTHH:mm:ss

    private UtcTimes() {}

    /** @throws java.time.format.DateTimeParseException as Instant.parse, for a text that is not an instant */
    public static Instant parse(String text) {
        Instant plain = plain(text);
        return plain != null ? plain : Instant.parse(text);
    }

    /** The instant when {@code text} is the plain UTC form with fields in range; null for any other text. */
    public static Instant plain(String text) {
        int n = text.length();
        if (n < DATE_TIME + 1 || text.charAt(n - 1) != 'Z' || text.charAt(4) != '-' || text.charAt(7) != '-'
            || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':') return null;
        int year = digits(text, 0, 4), month = digits(text, 5, 7), day = digits(text, 8, 10);
        int hour = digits(text, 11, 13), minute = digits(text, 14, 16), second = digits(text, 17, 19);
        if ((year | month | day | hour | minute | second) < 0 || hour > 23 || minute > 59 || second > 59) return null;
        int nanos = 0;
        if (n > DATE_TIME + 1) {
            int fraction = n - DATE_TIME - 2;  // the digits between '.' and 'Z'
            if (text.charAt(DATE_TIME) != '.' || fraction < 1 || fraction > 9) return null;
            nanos = digits(text, DATE_TIME + 1, n - 1);
            if (nanos < 0) return null;
            for (int i = fraction; i < 9; i++) nanos *= 10;
        }
        try {
            long days = LocalDate.of(year, month, day).toEpochDay();
            return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
        } catch (DateTimeException e) {
            return null;  // no such day (Feb 30): Instant.parse says so in its own words
        }
    }

    /** The decimal number in text[from, to), or -1 when a character is not an ASCII digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            int d = text.charAt(i) - '0';
            if (d < 0 || d > 9) return -1;
            value = value * 10 + d;
        }
        return value;
    }
}
