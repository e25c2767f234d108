import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An open-model load generator: requests are due at a constant rate whatever the answers do (not a closed loop, which
 * slows down with the server and hides its queueing), each latency counted from the moment the request was due, so
 * time spent waiting for a free connection counts too (no coordinated omission). Workers hold one keep-alive HTTP/1.1
 * connection each with blocking sockets (no shared selector thread to wait behind).
 *
 *   java OpenLoad.java URL RATE SECONDS BODY_FILE DEADLINE_MS [SERVER_PID] [LABEL]
 *
 * BODY_FILE holds one JSON body per line, sent in turn. Prints one line of figures (and the server's CPU seconds when
 * SERVER_PID is given, from /proc), and appends it as JSON to $RESULTS when set.
 */
public class OpenLoad {
    private static final int WORKERS = 64;

    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        double rate = Double.parseDouble(args[1]);
        int seconds = Integer.parseInt(args[2]);
        String[] bodies = Files.readAllLines(Path.of(args[3])).stream().filter(l -> !l.isBlank()).toArray(String[]::new);
        long deadlineMs = Long.parseLong(args[4]);
        long pid = args.length > 5 ? Long.parseLong(args[5]) : -1;
        String label = args.length > 6 ? args[6] : url.toString();

        int total = (int) Math.round(rate * seconds);
        long[] latencies = new long[total];
        var due = new LinkedBlockingQueue<long[]>();  // {index, due nanos}
        var errors = new AtomicLong();
        var byModel = new AtomicLong();
        var done = new java.util.concurrent.CountDownLatch(total);
        for (int w = 0; w < WORKERS; w++) {
            Thread.ofPlatform().daemon().start(() -> {
                Connection c = null;
                while (true) {
                    long[] job;
                    try {
                        job = due.take();
                    } catch (InterruptedException e) {
                        return;
                    }
                    int i = (int) job[0];
                    for (int attempt = 1; ; attempt++) {
                        boolean reused = c != null;
                        try {
                            if (c == null) c = new Connection(url);
                            String answer = c.post(url.getPath(), bodies[i % bodies.length]);
                            if (answer == null) errors.incrementAndGet();
                            else if (answer.contains("\"source\":\"model\"")) byModel.incrementAndGet();
                            break;
                        } catch (IOException e) {
                            c = null;
                            // a kept-alive connection the server closed while idle (uvicorn: after 5 s) is retried once on a
                            // new one, as HTTP clients do; the time counts
                            if (!reused || attempt > 1) {
                                errors.incrementAndGet();
                                break;
                            }
                        }
                    }
                    latencies[i] = System.nanoTime() - job[1];
                    done.countDown();
                }
            });
        }
        double cpuBefore = cpu(pid);
        long ownCpuBefore = ownCpu();
        long start = System.nanoTime() + 50_000_000L;
        for (int i = 0; i < total; i++) {
            long at = start + (long) (i * 1e9 / rate);
            long wait = at - System.nanoTime();
            if (wait > 0) java.util.concurrent.locks.LockSupport.parkNanos(wait);
            due.add(new long[] {i, at});
        }
        done.await();
        double wall = (System.nanoTime() - start) / 1e9;
        double serverCpu = cpu(pid) - cpuBefore;
        double ownCpu = (ownCpu() - ownCpuBefore) / 1e9;

        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        long late = Arrays.stream(sorted).filter(l -> l > deadlineMs * 1_000_000L).count();
        String line = String.format(Locale.ROOT,
            "{\"label\":\"%s\",\"rate\":%.0f,\"seconds\":%d,\"requests\":%d,\"errors\":%d,\"p50_ms\":%.2f,\"p99_ms\":%.2f,"
                + "\"p999_ms\":%.2f,\"max_ms\":%.2f,\"late_fraction\":%.5f,\"model_fraction\":%.4f,\"server_cpu_s\":%.2f,\"server_cpu_per_request_ms\":%.3f,"
                + "\"generator_cpu_s\":%.2f,\"wall_s\":%.1f}",
            label, rate, seconds, total, errors.get(), ms(sorted, 0.50), ms(sorted, 0.99), ms(sorted, 0.999),
            sorted[total - 1] / 1e6, (double) late / total, (double) byModel.get() / total, serverCpu, serverCpu * 1000 / total, ownCpu, wall);
        System.out.println(line);
        String results = System.getenv("RESULTS");
        if (results != null) Files.writeString(Path.of(results), line + "\n", java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.APPEND);
        System.exit(0);
    }

    private static double ms(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * q) - 1)] / 1e6;
    }

    /** A process's user + system CPU seconds, from /proc/PID/stat (clock ticks of 1/100 s); -1 without a pid. */
    private static double cpu(long pid) throws IOException {
        if (pid < 0) return 0;
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    }

    private static long ownCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** One keep-alive connection; enough HTTP/1.1 for JSON answers with a Content-Length. */
    private static final class Connection {
        private final OutputStream out;
        private final InputStream in;
        private final String host;

        Connection(URI url) throws IOException {
            Socket socket = new Socket(url.getHost(), url.getPort());
            socket.setTcpNoDelay(true);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream());
            host = url.getHost() + ":" + url.getPort();
        }

        /** The answer's body, or null when its status is not 200. */
        String post(String path, String json) throws IOException {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            out.write(("POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            int status = Integer.parseInt(line().split(" ")[1]);
            int length = -1;
            boolean chunked = false;
            for (String h = line(); !h.isEmpty(); h = line()) {
                String lower = h.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) length = Integer.parseInt(h.substring(15).trim());
                if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) chunked = true;
            }
            var answer = new ByteArrayOutputStream();
            if (chunked) {
                for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
                    answer.write(in.readNBytes(size));
                    line();
                }
                line();
            } else if (length >= 0) {
                answer.write(in.readNBytes(length));
            } else {
                throw new IOException("no Content-Length");
            }
            return status == 200 ? answer.toString(StandardCharsets.UTF_8) : null;
        }

        private String line() throws IOException {
            var line = new ByteArrayOutputStream();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) throw new IOException("the connection closed");
                if (b != '\r') line.write(b);
            }
            return line.toString(StandardCharsets.US_ASCII);
        }
    }
}
