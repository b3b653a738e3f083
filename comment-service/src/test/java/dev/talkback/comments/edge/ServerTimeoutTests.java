package dev.talkback.comments.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.talkback.comments.LimitedBackendTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ClassPathResource;

/**
 * Connections that send a request slowly are cut off (here: idle timeout 1 s, request head 1 s, a whole body 2 s). Each test trickles bytes faster than the idle timeout, so only the timeout under test can
 * end the connection; without it the socket stays open until the test gives up (10 s).
 */
@LimitedBackendTest
class ServerTimeoutTests {

    private static final int GIVE_UP_MILLIS = 10_000;

    @LocalServerPort
    int port;

    private final ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopTrickling() {
        trickle.shutdownNow();
    }

    @Test
    void aRequestHeadTrickledInIsCutOffAfterTheHeadTimeout() throws IOException {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /api/articles/slow/comments HTTP/1.1\r\nHost: localhost\r\nX-Slow: "
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            trickleBytes(out);
            assertClosedWithin(socket, Duration.ofSeconds(5));
        }
    }

    @Test
    void aBodyTrickledInIsCutOffAfterTheBodyTimeout() throws IOException {
        try (Socket socket = connect()) {
            trickleBytes(startBody(socket));
            assertClosedWithin(socket, Duration.ofSeconds(6));
        }
    }

    @Test
    void aBodyThatStopsIsCutOffAfterTheBodyTimeout() throws IOException {
        try (Socket socket = connect()) {
            startBody(socket);
            assertClosedWithin(socket, Duration.ofSeconds(5));
        }
    }

    @Test
    void aConnectionThatSendsNothingIsClosedAfterTheIdleTimeout() throws IOException {
        try (Socket socket = connect()) {
            assertClosedWithin(socket, Duration.ofSeconds(5));
        }
    }

    @Test
    void theServiceConfiguresAnIdleTimeout() {
        YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
        yaml.setResources(new ClassPathResource("application.yml"));
        Properties properties = yaml.getObject();
        assertThat(properties).isNotNull();
        assertThat(properties.getProperty("server.netty.idle-timeout")).isNotBlank();
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("localhost", port);
        socket.setSoTimeout(GIVE_UP_MILLIS);
        return socket;
    }

    /** Sends the head of a comment and the first byte of its 1,000-byte body. */
    private static OutputStream startBody(Socket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("POST /api/articles/slow/comments HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-For: "
                        + RateLimitTests.newAddress()
                        + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return out;
    }

    /** One byte every 200 ms: the connection is never idle for long. */
    private void trickleBytes(OutputStream out) {
        trickle.scheduleAtFixedRate(
                () -> {
                    try {
                        out.write('a');
                        out.flush();
                    } catch (IOException ex) {
                        throw new IllegalStateException(ex); // closed: stop trickling
                    }
                },
                200,
                200,
                TimeUnit.MILLISECONDS);
    }

    /** The server closes the connection (after an answer such as 408, or none) before the given time. */
    private static void assertClosedWithin(Socket socket, Duration limit) throws IOException {
        long start = System.nanoTime();
        InputStream in = socket.getInputStream();
        try {
            while (in.read() >= 0) {
                // an answer (e.g. 408) before the close is fine
            }
        } catch (SocketTimeoutException ex) {
            throw new AssertionError("the connection was still open after " + GIVE_UP_MILLIS + " ms", ex);
        } catch (SocketException ex) {
            // reset by the server: closed too
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(limit);
    }
}
