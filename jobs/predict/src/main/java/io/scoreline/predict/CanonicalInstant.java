package io.scoreline.predict;

/**
 * Whether a time is written exactly as {@link java.time.Instant#toString()} writes it (UTC, {@code Z}, fraction in
 * groups of three digits without a trailing group of zeros), so a prediction can copy it instead of parsing it into
 * an Instant and formatting it again. Years 1000–9999 only; anything else takes the parsing path.
 */
final class CanonicalInstant {
    private CanonicalInstant() {}

    static boolean is(char[] c, int off, int len) {
        if (len != 20 && len != 24 && len != 27 && len != 30) return false;
        if (c[off + 4] != '-' || c[off + 7] != '-' || c[off + 10] != 'T' || c[off + 13] != ':' || c[off + 16] != ':'
            || c[off + len - 1] != 'Z') return false;
        int year = number(c, off, 4), month = number(c, off + 5, 2), day = number(c, off + 8, 2);
        int hour = number(c, off + 11, 2), minute = number(c, off + 14, 2), second = number(c, off + 17, 2);
        if (year < 1000 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return false;
        if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return false;
        if (len == 20) return true;
        if (c[off + 19] != '.') return false;
        int digits = len - 21;
        for (int i = 0; i < digits; i++) if (!digit(c[off + 20 + i])) return false;
        return number(c, off + len - 4, 3) != 0;  // ".000", or a last group of "000", is written shorter
    }

    private static int number(char[] c, int off, int len) {
        int n = 0;
        for (int i = 0; i < len; i++) {
            char ch = c[off + i];
            if (!digit(ch)) return -1;
            n = n * 10 + (ch - '0');
        }
        return n;
    }

    private static boolean digit(char ch) {
        return ch >= '0' && ch <= '9';
    }

    private static int daysIn(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }
}
