package io.scoreline.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;

/** Where one HTTP/1.1 request ends in a byte stream: its head, then a Content-Length or chunked body. */
final class HttpFraming {
    private HttpFraming() {}

    /** The request line and headers up to the blank line, or null at the end of the connection. */
    static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        for (int b; (b = in.read()) >= 0; ) {
            head.write(b);
            matched = b == '\r' ? (matched == 2 ? 3 : 1) : b == '\n' && (matched == 1 || matched == 3) ? matched + 1 : 0;
            if (matched == 4) return head.toByteArray();
        }
        return null;
    }

    /** Copies the body the request {@code head} announces, and nothing more, from {@code in} to {@code out}. */
    static void copyBody(String head, InputStream in, OutputStream out) throws IOException {
        String lower = head.toLowerCase(Locale.ROOT);
        if (lower.contains("\r\ntransfer-encoding: chunked")) {
            while (true) {
                String size = readLine(in, out);
                int n = Integer.parseInt(size.split(";")[0].trim(), 16);
                if (n == 0) {
                    while (!readLine(in, out).isEmpty()) { /* trailers up to the blank line */ }
                    return;
                }
                copy(in, out, n + 2L);
            }
        }
        int at = lower.indexOf("\r\ncontent-length:");
        if (at >= 0) {
            int end = lower.indexOf("\r\n", at + 2);
            copy(in, out, Long.parseLong(lower.substring(at + 17, end).trim()));
        }
    }

    private static String readLine(InputStream in, OutputStream out) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) >= 0; ) {
            out.write(b);
            if (b == '\n') return line.toString().strip();
            line.append((char) b);
        }
        throw new IOException("connection closed inside a chunked body");
    }

    private static void copy(InputStream in, OutputStream out, long n) throws IOException {
        byte[] buffer = new byte[1 << 16];
        while (n > 0) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, n));
            if (read < 0) throw new IOException("connection closed inside a body");
            out.write(buffer, 0, read);
            n -= read;
        }
    }
}
