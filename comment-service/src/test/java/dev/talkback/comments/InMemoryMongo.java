package dev.talkback.comments;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.net.InetSocketAddress;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/** One mongo-java-server (MongoDB wire protocol, in memory) per test JVM, handed to Spring as {@code spring.mongodb.uri}. */
public class InMemoryMongo implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    private static MongoServer server;
    private static String uri;

    static synchronized String uri() {
        if (server == null) {
            server = new MongoServer(new MemoryBackend());
            InetSocketAddress address = server.bind();
            uri = "mongodb://" + address.getHostString() + ":" + address.getPort() + "/comments";
            Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
        }
        return uri;
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        TestPropertyValues.of("spring.mongodb.uri=" + uri()).applyTo(context);
    }
}
