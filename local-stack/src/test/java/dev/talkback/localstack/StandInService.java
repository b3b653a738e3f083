package dev.talkback.localstack;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A stand-in for a Spring Boot service, started by the tests as its own JVM: answers
 * {@code GET /actuator/health/readiness} on the management port given as {@code --management.server.port=…} (like the
 * services, nothing under {@code /actuator} on {@code --server.port=…} then), prints its arguments, and says so when
 * it is stopped through its shutdown hook. With {@code --fail} it exits at once with code 3.
 */
public final class StandInService {

    private StandInService() {}

    public static void main(String[] args) throws Exception {
        int port = 0;
        Integer managementPort = null;
        for (String arg : args) {
            System.out.println("arg " + arg);
            if (arg.equals("--fail")) {
                System.out.println("failing on purpose");
                System.exit(3);
            }
            if (arg.startsWith("--server.port=")) {
                port = Integer.parseInt(arg.substring("--server.port=".length()));
            }
            if (arg.startsWith("--management.server.port=")) {
                managementPort = Integer.parseInt(arg.substring("--management.server.port=".length()));
            }
        }
        HttpServer server = HttpServer.create(new InetSocketAddress("localhost", port), 0);
        HttpServer management = managementPort == null
                ? server
                : HttpServer.create(new InetSocketAddress("localhost", managementPort), 0);
        management.createContext("/actuator/health/readiness", exchange -> {
            byte[] body = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        if (management != server) {
            management.start();
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(0);
            if (management != server) {
                management.stop(0);
            }
            System.out.println("stand-in stopped cleanly");
            System.out.flush();
        }));
        System.out.println("stand-in listening on " + server.getAddress().getPort());
        System.out.flush();
    }
}
