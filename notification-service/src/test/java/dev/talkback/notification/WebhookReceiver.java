package dev.talkback.notification;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * A real HTTP server (the JDK's) that records every webhook call: {@code /hook} answers 204, {@code /flaky}
 * answers 500 while {@link #failing(boolean) failing}. It is started on demand, so a test can have it down first.
 */
final class WebhookReceiver {

    record Request(String path, com.sun.net.httpserver.Headers headers, String body, int answered) {

        String header(String name) {
            String value = headers.getFirst(name);
            return value == null ? "" : value;
        }
    }

    private final int port;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile boolean failing = true;
    private @Nullable HttpServer server;

    WebhookReceiver(int port) {
        this.port = port;
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    synchronized void start() {
        if (server != null) {
            return;
        }
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    void failing(boolean failing) {
        this.failing = failing;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getPath();
        int status = path.equals("/flaky") && failing ? 500 : 204;
        requests.add(new Request(path, exchange.getRequestHeaders(), body, status));
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    @Nullable
    Request find(String path, String text) {
        return all(path, text).stream()
                .filter(r -> r.answered() < 300)
                .findFirst()
                .orElse(null);
    }

    List<Request> all(String path, String text) {
        return requests.stream()
                .filter(r -> r.path().equals(path) && r.body().contains(text))
                .toList();
    }
}
