package io.scoreline.core.cli;

import io.scoreline.core.store.SseMode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Option types people type by hand: "5m" as well as "PT5M", Airflow's "2026-01-01T00:05:00+00:00" instants, "512MiB" as
 * well as a number of bytes.
 */
public final class Converters {
    private Converters() {}

    public static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Duration d = parse(value);
            if (d.isNegative()) throw new TypeConversionException("'" + value + "' is negative: durations here are lengths of time");
            return d;
        }

        private static Duration parse(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            try {
                if (v.startsWith("p")) return Duration.parse(v.toUpperCase(Locale.ROOT));
                if (v.matches("\\d+(ms|s|m|h|d)")) {
                    long n = Long.parseLong(v.replaceAll("[a-z]+$", ""));
                    return switch (v.replaceAll("^\\d+", "")) {
                        case "ms" -> Duration.ofMillis(n);
                        case "s" -> Duration.ofSeconds(n);
                        case "m" -> Duration.ofMinutes(n);
                        case "h" -> Duration.ofHours(n);
                        default -> Duration.ofDays(n);
                    };
                }
            } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
                // fall through to the message below
            }
            throw new TypeConversionException("'" + value + "' is not a duration: use e.g. 30s, 5m, 2h or PT5M");
        }
    }

    /** A size in bytes: a plain number, or with KiB, MiB or GiB (the units the help prints). */
    public static final class SizeConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            String v = value.trim();
            var m = java.util.regex.Pattern.compile("(\\d+)\\s*(KiB|MiB|GiB)?").matcher(v);
            if (m.matches()) {
                int shift = m.group(2) == null ? 0 : switch (m.group(2)) {
                    case "KiB" -> 10;
                    case "MiB" -> 20;
                    default -> 30;
                };
                try {
                    long n = Long.parseLong(m.group(1));
                    if (n <= Long.MAX_VALUE >> shift) return n << shift;
                } catch (NumberFormatException e) {
                    // too many digits: the message below
                }
            }
            throw new TypeConversionException("'" + value + "' is not a size: use e.g. 512MiB, 2GiB or a number of bytes");
        }
    }

    public static final class InstantConverter implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            if (value.equalsIgnoreCase("now")) return Instant.now();
            try {
                return OffsetDateTime.parse(value.trim().replace(' ', 'T')).toInstant();
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("'" + value + "' is not a time: use ISO-8601 with an offset, e.g. 2026-01-01T10:05:00Z");
            }
        }
    }

    /** --s3-endpoint: picocli's own URI converter answers "127.0.0.1:9000" with a java.net exception's text. */
    public static final class EndpointConverter implements ITypeConverter<URI> {
        @Override
        public URI convert(String value) {
            try {
                return new URI(value.trim());
            } catch (URISyntaxException e) {
                throw new TypeConversionException("'" + value + "' is not a URL: use http(s)://host[:port]");
            }
        }
    }

    /** --s3-sse: the labels users know from the AWS CLI ("aws:kms"), in any case. */
    public static final class SseModeConverter implements ITypeConverter<SseMode> {
        @Override
        public SseMode convert(String value) {
            return SseMode.parse(value)
                .orElseThrow(() -> new TypeConversionException("'" + value + "' is not an SSE mode: use none, aes256 or aws:kms"));
        }
    }
}
