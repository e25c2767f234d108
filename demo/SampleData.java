import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * Generates a customer-churn dataset for demos, tests and benchmarks (run with `java demo/SampleData.java`).
 * Churn depends on the features through a known rule plus noise, so a trained model has real signal to find.
 *
 *   training   OUT ROWS SEED                       labelled rows (CSV if OUT ends in .csv, else NDJSON)
 *   documents  OUT FIRST_ID COUNT FROM TO SEED      unlabelled documents, updated_at spread over [FROM, TO]
 *   updates    OUT MAX_ID COUNT FROM TO SEED        new versions of random existing ids (appended to OUT)
 */
public class SampleData {
    private static final String[] CONTRACTS = {"month-to-month", "one-year", "two-year"};
    private static final String[] REGIONS = {"north", "south", "east", "west"};

    public static void main(String[] args) throws IOException {
        if (args.length == 0) usage();
        switch (args[0]) {
            case "training" -> training(Path.of(args[1]), Integer.parseInt(args[2]), Long.parseLong(args[3]));
            case "documents" -> documents(Path.of(args[1]), Long.parseLong(args[2]), Long.parseLong(args[3]),
                Instant.parse(args[4]), Instant.parse(args[5]), Long.parseLong(args[6]), false);
            case "updates" -> documents(Path.of(args[1]), 0, Long.parseLong(args[3]), Instant.parse(args[4]),
                Instant.parse(args[5]), Long.parseLong(args[6]), true, Long.parseLong(args[2]));
            default -> usage();
        }
    }

    private static void usage() {
        System.err.println("usage: java demo/SampleData.java training OUT ROWS SEED | documents OUT FIRST_ID COUNT FROM TO SEED"
            + " | updates OUT MAX_ID COUNT FROM TO SEED");
        System.exit(2);
    }

    record Customer(int tenure, double charges, int tickets, String contract, boolean partner, String region) {
        boolean churns(SplittableRandom r) {
            double z = -1.2 + 0.9 * tickets - 0.05 * tenure + 0.02 * (charges - 60)
                + (contract.equals("month-to-month") ? 1.4 : contract.equals("one-year") ? 0.1 : -1.2) + (partner ? -0.4 : 0.3);
            return r.nextDouble() < 1 / (1 + Math.exp(-z));
        }

        String fields() {
            return String.format(Locale.ROOT, "\"tenure_months\":%d,\"monthly_charges\":%.2f,\"support_tickets\":%d,"
                + "\"contract\":\"%s\",\"has_partner\":%b,\"region\":\"%s\"", tenure, charges, tickets, contract, partner, region);
        }
    }

    static Customer customer(SplittableRandom r) {
        return new Customer(r.nextInt(1, 73), 20 + r.nextDouble() * 100, (int) Math.floor(-Math.log(1 - r.nextDouble()) * 1.2),
            CONTRACTS[r.nextInt(CONTRACTS.length)], r.nextBoolean(), REGIONS[r.nextInt(REGIONS.length)]);
    }

    static void training(Path out, int rows, long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        boolean csv = out.toString().endsWith(".csv");
        try (BufferedWriter w = writer(out, false)) {
            if (csv) w.write("tenure_months,monthly_charges,support_tickets,contract,has_partner,region,churned\n");
            for (int i = 0; i < rows; i++) {
                Customer c = customer(r);
                String label = c.churns(r) ? "yes" : "no";
                if (csv) {
                    w.write(String.format(Locale.ROOT, "%d,%.2f,%d,%s,%b,%s,%s%n", c.tenure, c.charges, c.tickets, c.contract,
                        c.partner, c.region, label));
                } else {
                    w.write("{" + c.fields() + ",\"churned\":\"" + label + "\"}\n");
                }
            }
        }
    }

    static void documents(Path out, long firstId, long count, Instant from, Instant to, long seed, boolean append) throws IOException {
        documents(out, firstId, count, from, to, seed, append, 0);
    }

    static void documents(Path out, long firstId, long count, Instant from, Instant to, long seed, boolean updates, long maxId)
            throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        long span = Math.max(1, to.toEpochMilli() - from.toEpochMilli());
        try (BufferedWriter w = writer(out, updates)) {
            for (long i = 0; i < count; i++) {
                long id = updates ? r.nextLong(maxId) : firstId + i;
                Instant updated = Instant.ofEpochMilli(from.toEpochMilli() + (span * i) / Math.max(1, count - 1));
                Customer c = customer(r);
                // a few malformed documents, as real feeds have: they must be rejected with a reason, never lost
                String fields = r.nextInt(2000) == 0 ? "\"tenure_months\":\"unknown\"" + c.fields().substring(c.fields().indexOf(','))
                    : c.fields();
                w.write(String.format(Locale.ROOT, "{\"id\":\"cust-%08d\",\"updated_at\":\"%s\",%s}%n", id, updated, fields));
            }
        }
    }

    private static BufferedWriter writer(Path out, boolean append) throws IOException {
        if (out.getParent() != null) Files.createDirectories(out.getParent());
        OutputStream raw = append
            ? Files.newOutputStream(out, StandardOpenOption.CREATE, StandardOpenOption.APPEND)
            : Files.newOutputStream(out);
        if (out.toString().endsWith(".gz")) raw = new GZIPOutputStream(raw, 1 << 16);
        return new BufferedWriter(new OutputStreamWriter(raw, StandardCharsets.UTF_8), 1 << 16);
    }
}
