package dev.talkback.localstack;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * MongoDB wire protocol on a local port (mongo-java-server), persisted in one H2 MVStore file, in this JVM, with
 * the services' non-unique indexes kept in memory ({@link EmbeddedIndexes}).
 * Data written before {@link #close()} is there again after the next {@link #start(Path, String, int)} on the same file.
 */
public final class MongoStore implements AutoCloseable {

    private final Path file;
    private final String host;
    private final H2Backend backend;
    private final MongoServer server;

    private MongoStore(Path file, String host, H2Backend backend, MongoServer server) {
        this.file = file;
        this.host = host;
        this.backend = backend;
        this.server = server;
    }

    /**
     * Opens (or creates) the store file and listens on {@code host:port}; port 0 picks a free port.
     */
    public static MongoStore start(Path file, String host, int port) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        H2Backend backend = EmbeddedIndexes.h2Backend(file.toAbsolutePath().toString());
        MongoServer server = new MongoServer(backend);
        try {
            server.bind(host, port);
        } catch (Exception ex) { // netty rethrows the BindException without declaring it
            backend.close();
            throw new IOException(
                    "MongoDB (mongo-java-server) cannot listen on " + host + ":" + port
                            + " (is another MongoDB or local stack running?)",
                    ex);
        }
        return new MongoStore(file, host, backend, server);
    }

    /**
     * An in-memory mongo-java-server backend whose non-unique indexes work (see {@link EmbeddedIndexes}), for tests
     * that run the services against a store in their own JVM.
     */
    public static MemoryBackend memoryBackend() {
        return EmbeddedIndexes.memoryBackend();
    }

    /** The port it listens on. */
    public int port() {
        return server.getLocalAddress().getPort();
    }

    /** {@code mongodb://host:port/<database>}. */
    public String uri(String database) {
        return "mongodb://" + host + ":" + port() + "/" + database;
    }

    /** The H2 MVStore file. */
    public Path file() {
        return file;
    }

    /** Stops listening, closes connections and writes everything to the file. */
    @Override
    public void close() {
        try {
            server.shutdown();
        } finally {
            backend.close();
        }
    }
}
