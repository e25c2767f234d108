package io.scoreline.publish;

import io.scoreline.core.run.Watermark;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The readable form of {@code publish.jar runs}: one aligned table, the watermark under it. */
final class RunsTable {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final String[] HEADER = {"RUN", "LAST WRITE (UTC)", "READ", "SCORED", "REJECTED", "PUBLISHED", "MODEL", "RESULT"};
    private static final boolean[] RIGHT = {false, false, true, true, true, true, false, false};

    private RunsTable() {}

    static void print(RunsCommand.Report report, PrintWriter out) {
        if (report.runs().isEmpty()) {
            out.println("no runs in " + report.store() + " yet (nothing under runs/)");
        } else {
            List<String[]> rows = new ArrayList<>();
            rows.add(HEADER);
            for (RunSummary r : report.runs()) rows.add(row(r));
            int[] width = new int[HEADER.length];
            for (String[] row : rows) for (int i = 0; i < row.length - 1; i++) width[i] = Math.max(width[i], row[i].length());
            for (String[] row : rows) out.println(line(row, width));
            if (report.totalRuns() > report.runs().size()) {
                out.printf("(newest %d of %d runs; --limit N shows more)%n", report.runs().size(), report.totalRuns());
            }
        }
        out.println(watermark(report.watermark()));
    }

    private static String[] row(RunSummary r) {
        String result = r.result() + (r.serving() ? " (serving)" : "") + (r.reason() == null ? "" : ": " + r.reason());
        String model = r.model() == null && r.modelVersion() == null ? "-"
            : (r.model() == null ? "?" : r.model()) + "/" + (r.modelVersion() == null ? "?" : r.modelVersion());
        return new String[] {r.runId(), time(r.updatedAt()), count(r.read()), count(r.scored()), count(r.rejected()),
            count(r.published()), model, result};
    }

    private static String line(String[] row, int[] width) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < row.length; i++) {
            if (i > 0) b.append("  ");
            if (i == row.length - 1) {
                b.append(row[i]);
            } else {
                String pad = " ".repeat(width[i] - row[i].length());
                b.append(RIGHT[i] ? pad + row[i] : row[i] + pad);
            }
        }
        return b.toString().stripTrailing();
    }

    static String watermark(Watermark w) {
        if (w == null) return "watermark: none yet (nothing published: the next fetch reads from the beginning)";
        return "watermark: " + w.updatedField() + " up to " + w.upTo() + " (committed by run " + w.runId() + " at "
            + time(w.committedAt()) + " UTC)";
    }

    private static String count(Long n) {
        return n == null ? "-" : String.format(Locale.ROOT, "%,d", n);
    }

    private static String time(Instant t) {
        return t == null ? "-" : TIME.format(t);
    }
}
