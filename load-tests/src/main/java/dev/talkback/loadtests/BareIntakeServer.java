package dev.talkback.loadtests;

import java.nio.charset.StandardCharsets;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The limit of HTTP on this machine: a bare reactor-netty server (the server comment-service runs on) that reads the
 * whole request body and answers {@code 202} with a body the size of the real intake's answer, doing nothing else.
 * The same Gatling intake scenario is pointed at it, so the ratio of the two rates says what the service's own work
 * (validation, Kafka acknowledgement) costs.
 *
 * <p>Usage: {@code java -cp <load-tests classpath> dev.talkback.loadtests.BareIntakeServer [port=8090]}; binds to
 * 127.0.0.1 only; stops on SIGTERM.
 */
public final class BareIntakeServer {

    // Shaped like comment-service's 202 body, so both send about as many bytes back.
    private static final String ANSWER = "{\"id\":\"01M8J44VAMYQVTBDPW9BK0Z5D6\",\"status\":\"PENDING\","
            + "\"statusUrl\":\"/api/comments/01M8J44VAMYQVTBDPW9BK0Z5D6/status?token=qhOF6aJVyyv5IEFA35e4idm8M2i4L52urgzPGy6FwnM\","
            + "\"statusToken\":\"qhOF6aJVyyv5IEFA35e4idm8M2i4L52urgzPGy6FwnM\","
            + "\"html\":\"<p>A typical comment of a couple of sentences, as the service renders it back to its"
            + " author: about the length of the reader comments in the benchmark's corpus.</p>\"}";

    private BareIntakeServer() {}

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8090;
        DisposableServer server = HttpServer.create()
                .host("127.0.0.1")
                .port(port)
                .handle((request, response) -> request.receive()
                        .aggregate()
                        .asString(StandardCharsets.UTF_8)
                        .defaultIfEmpty("")
                        .flatMap(body -> response.status(202)
                                .header("Content-Type", "application/json")
                                .header("Location", "/api/comments/01M8J44VAMYQVTBDPW9BK0Z5D6/status")
                                .sendString(Mono.just(ANSWER))
                                .then()))
                .bindNow();
        System.out.println("BareIntakeServer listening on http://127.0.0.1:" + server.port());
        Runtime.getRuntime().addShutdownHook(new Thread(server::disposeNow));
        server.onDispose().block();
    }
}
