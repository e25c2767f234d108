import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;

/**
 * What each gzip level costs on real output: compresses the first MB megabytes of an NDJSON file (gzip or not) in
 * 1 MiB blocks, as the jobs' parallel gzip does, at levels 1 to 9, twice; prints the size ratio and the CPU seconds
 * per 100 MB of the second pass. Usage: java bench/GzipLevels.java FILE [MB, default 100]
 */
public class GzipLevels {
    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        int limit = (args.length > 1 ? Integer.parseInt(args[1]) : 100) * 1_000_000;
        byte[] data;
        try (InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(Files.newInputStream(file), 1 << 16) : Files.newInputStream(file)) {
            data = in.readNBytes(limit);
        }
        var cpu = ManagementFactory.getThreadMXBean();
        byte[] out = new byte[1 << 21];
        for (int pass = 1; pass <= 2; pass++) {
            for (int level = 1; level <= 9; level++) {
                long started = cpu.getCurrentThreadCpuTime(), compressed = 0;
                Deflater deflater = new Deflater(level, true);
                for (int offset = 0; offset < data.length; offset += 1 << 20) {
                    deflater.reset();
                    deflater.setInput(data, offset, Math.min(1 << 20, data.length - offset));
                    deflater.finish();
                    while (!deflater.finished()) compressed += deflater.deflate(out);
                }
                deflater.end();
                double seconds = (cpu.getCurrentThreadCpuTime() - started) / 1e9;
                if (pass == 2) System.out.printf("| %d | %.3f | %.2f |%n", level, compressed / (double) data.length, seconds * 1e8 / data.length);
            }
        }
    }
}
