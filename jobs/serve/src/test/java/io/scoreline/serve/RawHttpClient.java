package io.scoreline.serve;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One keep-alive HTTP/1.1 connection with blocking socket I/O, for a client thread of its own: under CPU saturation
 * the JDK's HttpClient funnels every answer through one selector thread, whose own delays would be counted as the
 * server's. Enough HTTP for the service's answers (Content-Length bodies).
 */
final class RawHttpClient implements AutoCloseable {
    record Response(int status, String body) {}

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    RawHttpClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        in = new java.io.BufferedInputStream(socket.getInputStream());
    }

    Response post(String path, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: " + body.length
            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        return response();
    }

    /** Only a POST's headers, announcing a body of {@code length} bytes that never comes: what the server decides on them. */
    Response announce(String path, long length) throws IOException {
        out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: " + length
            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return response();
    }

    private Response response() throws IOException {
        String status = line();
        int length = 0;
        for (String header = line(); !header.isEmpty(); header = line()) {
            if (header.regionMatches(true, 0, "content-length:", 0, 15)) length = Integer.parseInt(header.substring(15).trim());
        }
        return new Response(Integer.parseInt(status.split(" ")[1]), new String(in.readNBytes(length), StandardCharsets.UTF_8));
    }

    private String line() throws IOException {
        var line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) throw new IOException("the connection closed");
            if (b != '\r') line.write(b);
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
