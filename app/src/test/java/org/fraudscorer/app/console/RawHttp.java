package org.fraudscorer.app.console;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 request over a plain socket, for what an HTTP library would not send or would not keep (any Host
 * line, a stream held open without reading it).
 */
final class RawHttp {
    private RawHttp() {
    }

    /** The open connection and the status its answer began with; closing it closes the connection. */
    record Answer(Socket socket, int status) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Sends {@code requestLine} (e.g. {@code GET /events}) with the header lines to 127.0.0.1:port. */
    static Answer send(int port, String requestLine, String... headerLines) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        try {
            s.setSoTimeout(10_000); // a server that never answers fails the test instead of hanging it
            StringBuilder request = new StringBuilder(requestLine).append(" HTTP/1.1\r\n");
            for (String h : headerLines) {
                request.append(h).append("\r\n");
            }
            s.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            String status = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII); // HTTP/1.1 200
            return new Answer(s, Integer.parseInt(status.substring(9, 12)));
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }
}
