package dev.talkback.testsupport;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.net.InetSocketAddress;

/**
 * A mongo-java-server in memory (the MongoDB wire protocol, no MongoDB needed) for the embedded-infrastructure tests.
 * A test class keeps one in a static field, so that it lives as long as the cached application context using it, and
 * hands {@link #uri(String)} to Spring as {@code spring.mongodb.uri}; each class its own, so that one class's stored
 * documents never show in another's assertions.
 */
public final class EmbeddedMongo {

    private final MongoServer server;
    private final InetSocketAddress address;

    private EmbeddedMongo(MongoServer server, InetSocketAddress address) {
        this.server = server;
        this.address = address;
    }

    /** Starts a server on a free loopback port; it stops when the JVM does. */
    public static EmbeddedMongo start() {
        MongoServer server = new MongoServer(new MemoryBackend());
        InetSocketAddress address = server.bind();
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow, "embedded-mongo-shutdown"));
        return new EmbeddedMongo(server, address);
    }

    /** The connection string of the named database on this server. */
    public String uri(String database) {
        return "mongodb://" + address.getHostString() + ":" + address.getPort() + "/" + database;
    }

    /** Stops the server now, for tests of what a service does when its store goes away. */
    public void stop() {
        server.shutdownNow();
    }
}
