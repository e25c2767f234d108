package io.scoreline.core.run;

import io.scoreline.core.error.JobException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * Partition {@code index} of {@code count} (written "i/P", 0 &le; i &lt; P): the share of a run one fetch and one
 * predict handle. {@link #ONE} (0/1) is the unpartitioned run, with today's layout.
 */
public record Partition(int index, int count) {
    public static final Partition ONE = new Partition(0, 1);
    /** More partitions than this is a typo, not a plan: Elasticsearch caps slices per point-in-time at 1024 by default. */
    public static final int MAX_COUNT = 1024;
    private static final Pattern FORM = Pattern.compile("(\\d{1,4})/(\\d{1,4})");

    public Partition {
        if (count < 1 || count > MAX_COUNT || index < 0 || index >= count) {
            throw JobException.usage("invalid partition " + index + "/" + count + ": give i/P with 1 <= P <= " + MAX_COUNT + " and 0 <= i < P");
        }
    }

    /** Parses "i/P", e.g. "2/4"; anything else is a usage error that says the form. */
    public static Partition parse(String value) {
        Matcher m = value == null ? null : FORM.matcher(value.strip());
        if (m == null || !m.matches()) {
            throw JobException.usage("invalid partition '" + abbreviate(value) + "': give i/P, e.g. 0/4 for the first of four (0 <= i < P)");
        }
        return new Partition(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    public boolean partitioned() {
        return count > 1;
    }

    /**
     * Whether this partition owns the document with this id: CRC-32C of the id's UTF-8 bytes, modulo the count.
     * Stable across runs, JVMs and machines (never String.hashCode, which a JDK may change for its own ids' sake).
     */
    public boolean owns(String id) {
        return count == 1 || of(id, count) == index;
    }

    /** The partition (of {@code count}) that owns an id. */
    public static int of(String id, int count) {
        CRC32C crc = new CRC32C();
        crc.update(id.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % count);
    }

    private static String abbreviate(String value) {
        if (value == null) return "";
        return value.length() <= 40 ? value : value.substring(0, 40) + "…";
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
