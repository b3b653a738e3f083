package dev.talkback.support.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.talkback.testsupport.EmbeddedMongo;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.index.IndexInfo;
import org.springframework.data.mongodb.core.mapping.Document;

class StoreIndexesTests {

    private MongoClient client;
    private StoreIndexes indexes;

    @AfterEach
    void close() {
        if (indexes != null) {
            indexes.stop();
        }
        if (client != null) {
            client.close();
        }
    }

    @Test
    void createsTheDeclaredIndexesAndDropsOnlyTheRetiredOnesThatExist() {
        ReactiveMongoTemplate mongo = template(EmbeddedMongo.start().uri("indexes"));
        mongo.indexOps("comments")
                .createIndex(new Index().on("old", Sort.Direction.ASC).named("old_1"))
                .block();

        indexes = new StoreIndexes(
                mongo,
                List.of(
                        CollectionIndexes.on("comments", new Index().on("articleId", Sort.Direction.ASC))
                                .retiring("old_1", "never_created_1"),
                        CollectionIndexes.on(Held.class, new Index().on("heldAt", Sort.Direction.ASC))));
        indexes.start();

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(indexes.health().getStatus()).isEqualTo(Status.UP));
        assertThat(names(mongo, "comments")).contains("articleId_1").doesNotContain("old_1");
        assertThat(names(mongo, "held_comments")).contains("heldAt_1");
    }

    @Test
    void aStoreDownAtStartIsDownUntilItAnswersThenTheIndexesAreCreated() throws IOException {
        int port = freePort();
        ReactiveMongoTemplate mongo = template("mongodb://127.0.0.1:" + port + "/indexes");
        indexes = new StoreIndexes(
                mongo,
                List.of(CollectionIndexes.on("comments", new Index().on("articleId", Sort.Direction.ASC))),
                Duration.ofMillis(50),
                Duration.ofMillis(200));
        indexes.start();

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(indexes.health().getDetails()).containsKey("error"));
        assertThat(indexes.health().getStatus()).isEqualTo(Status.DOWN);

        MongoServer server = new MongoServer(new MemoryBackend());
        server.bind("127.0.0.1", port);
        try {
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(
                            () -> assertThat(indexes.health().getStatus()).isEqualTo(Status.UP));
            assertThat(names(mongo, "comments")).contains("articleId_1");
        } finally {
            server.shutdownNow();
        }
    }

    @Test
    void aDocumentTypeNamesItsCollectionAsSpringDataDoes() {
        assertThat(CollectionIndexes.collectionOf(Held.class)).isEqualTo("held_comments");
        assertThat(CollectionIndexes.collectionOf(Plain.class)).isEqualTo("plain");
    }

    @Document("held_comments")
    record Held(String id) {}

    record Plain(String id) {}

    private ReactiveMongoTemplate template(String uri) {
        client = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(uri))
                .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(300, TimeUnit.MILLISECONDS))
                .build());
        return new ReactiveMongoTemplate(client, new ConnectionString(uri).getDatabase());
    }

    private static List<String> names(ReactiveMongoTemplate mongo, String collection) {
        return mongo.indexOps(collection)
                .getIndexInfo()
                .map(IndexInfo::getName)
                .collectList()
                .block();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
