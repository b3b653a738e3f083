package dev.talkback.comments;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A reader's browser, a proxy or a load balancer keeps one connection open and sends the next request as soon as it
 * likes, sometimes before the service has finished with the previous one. Every request on that connection must still
 * be answered. reactor-netty up to 1.3.7 stopped reading such a connection after answering a request that arrived early
 * (reactor/reactor-netty#4361): the next request on it hung until the client gave up. In the load tests this lost 1 to 4
 * of ~19,000 requests per run (none since 1.3.8), and it is the likely cause of a CI run in which a test's first request,
 * on a connection kept from the test before, got no answer in 30 s.
 */
@EmbeddedBackendTest
class KeepAliveConnectionTests {

    @LocalServerPort
    int port;

    @Test
    void requestsSentBeforeThePreviousAnswerIsCompleteAreAllAnswered() throws IOException {
        String article = "keep-alive-" + UUID.randomUUID();
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int round = 1; round <= 3; round++) {
                // What a widget does on load, pipelined: the page of comments (served from the read model, off the
                // event loop) and its script (answered at once), so the second arrives while the first is served.
                out.write((get("/api/articles/" + article + "/comments") + get("/embed.js"))
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                try {
                    assertThat(statusOf(in)).as("page, round %d", round).isEqualTo(200);
                    assertThat(statusOf(in)).as("script, round %d", round).isEqualTo(200);
                } catch (SocketTimeoutException ex) {
                    throw new AssertionError("round " + round + ": no answer in 10 s on a kept-alive connection", ex);
                }
            }
        }
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n\r\n";
    }

    /** Reads one whole response (fixed length or chunked) and returns its status. */
    private static int statusOf(InputStream in) throws IOException {
        String head = readHead(in);
        int status = Integer.parseInt(head.split(" ", 3)[1]);
        String lower = head.toLowerCase(Locale.ROOT);
        int length = lower.indexOf("\r\ncontent-length:");
        if (length >= 0) {
            int end = lower.indexOf("\r\n", length + 2);
            skip(in, Integer.parseInt(head.substring(length + 17, end).trim()));
        } else if (lower.contains("\r\ntransfer-encoding: chunked")) {
            for (int size; (size = Integer.parseInt(readLine(in).split(";")[0].trim(), 16)) > 0; ) {
                skip(in, size);
                readLine(in);
            }
            readLine(in);
        }
        return status;
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (true) {
            String line = readLine(in);
            if (line.isEmpty()) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
            head.writeBytes((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new EOFException("connection closed by the service");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    private static void skip(InputStream in, int bytes) throws IOException {
        if (in.readNBytes(bytes).length < bytes) {
            throw new EOFException("connection closed by the service");
        }
    }
}
