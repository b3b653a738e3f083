package dev.talkback.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.bson.types.Binary;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MongoStoreTests {

    @TempDir
    Path tmp;

    @Test
    void keepsDocumentsAcrossAStopAndStart() throws Exception {
        Path file = tmp.resolve("mongo").resolve("talkback.mv.db");
        try (MongoStore store = MongoStore.start(file, "localhost", 0);
                MongoClient client = MongoClients.create(store.uri("comments"))) {
            assertThat(store.uri("comments")).startsWith("mongodb://localhost:").endsWith("/comments");
            comments(client).insertOne(new Document("_id", "c-1").append("text", "First!"));
        }

        assertThat(file).exists();
        try (MongoStore store = MongoStore.start(file, "localhost", 0);
                MongoClient client = MongoClients.create(store.uri("comments"))) {
            Document found = comments(client).find(new Document("_id", "c-1")).first();
            assertThat(found).isNotNull();
            assertThat(found.getString("text")).isEqualTo("First!");
        }
    }

    @Test
    void uniqueIndexesFindAndRefuseKeysOfEveryKindAcrossAStopAndStart() throws Exception {
        Path file = tmp.resolve("keys.mv.db");
        ObjectId objectId = new ObjectId();
        List<Object> ids =
                List.of("c-2", "c-10", "c-1", 42L, 7, 2.5, objectId, new Document("article", "a").append("n", 1));
        try (MongoStore store = MongoStore.start(file, "localhost", 0);
                MongoClient client = MongoClients.create(store.uri("comments"))) {
            for (Object id : ids) {
                comments(client).insertOne(new Document("_id", id).append("text", "id " + id));
            }
            assertEveryIdFoundOnceAndRefusedTwice(comments(client), ids);
        }
        try (MongoStore store = MongoStore.start(file, "localhost", 0);
                MongoClient client = MongoClients.create(store.uri("comments"))) {
            assertEveryIdFoundOnceAndRefusedTwice(comments(client), ids);
            // MongoDB's numbers: 7 and 7.0 are one key
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> comments(client).insertOne(new Document("_id", 7.0)))
                    .isInstanceOf(MongoWriteException.class);
        }
    }

    @Test
    void keepsValuesOfEveryBsonKindAcrossAStopAndStart() throws Exception {
        Path file = tmp.resolve("kinds.mv.db");
        Document stored = new Document("_id", "c-kinds")
                .append("text", "Grüße, «quoted» 💬")
                .append("int", 7)
                .append("long", 1L << 40)
                .append("double", 2.5)
                .append("decimal", new Decimal128(new BigDecimal("12.3450")))
                .append("at", new Date(1_790_000_000_123L))
                .append("flag", true)
                .append("nothing", null)
                .append("objectId", new ObjectId())
                .append("bytes", new Binary(new byte[] {1, 2, 3}))
                .append("uuid", new Binary((byte) 4, new byte[16]))
                .append("tags", List.of("a", 1, List.of(2.0, "nested")))
                .append("author", new Document("name", "Ana").append("replies", new Document("count", 3)));
        try (MongoStore store = MongoStore.start(file, "localhost", 0);
                MongoClient client = MongoClients.create(store.uri("comments"))) {
            comments(client).insertOne(stored);
        }
        try (MongoStore store = MongoStore.start(file, "localhost", 0);
                MongoClient client = MongoClients.create(store.uri("comments"))) {
            assertThat(comments(client).find(new Document("_id", "c-kinds")).first())
                    .isEqualTo(stored);
        }
    }

    @Test
    void aStoreWrittenWithTheLibrarysOwnIndexesIsReadAndItsUniqueIndexesRebuilt() throws Exception {
        Path file = tmp.resolve("old.mv.db");
        List<Object> ids = new ArrayList<>();
        H2Backend plain = new H2Backend(org.h2.mvstore.MVStore.open(file.toString()));
        MongoServer server = new MongoServer(plain);
        server.bind("localhost", 0);
        try (MongoClient client = MongoClients.create(
                "mongodb://localhost:" + server.getLocalAddress().getPort())) {
            for (int i = 0; i < 500; i++) {
                ids.add("c-" + i);
                comments(client).insertOne(new Document("_id", "c-" + i).append("text", "old " + i));
            }
        } finally {
            server.shutdown();
            plain.close();
        }

        try (MongoStore store = MongoStore.start(file, "localhost", 0);
                MongoClient client = MongoClients.create(store.uri("comments"))) {
            assertEveryIdFoundOnceAndRefusedTwice(comments(client), ids);
            // its documents were Java-serialized: updated and new ones are now kept as BSON, beside the old ones
            comments(client)
                    .updateMany(
                            new Document("_id", new Document("$in", ids.subList(0, 100))),
                            new Document("$set", new Document("text", "updated")));
            for (int i = 500; i < 600; i++) {
                ids.add("c-" + i);
                comments(client).insertOne(new Document("_id", "c-" + i).append("text", "new " + i));
            }
        }
        try (MongoStore store = MongoStore.start(file, "localhost", 0);
                MongoClient client = MongoClients.create(store.uri("comments"))) {
            assertEveryIdFoundOnceAndRefusedTwice(comments(client), ids);
            for (int i = 0; i < 600; i++) {
                String text = i < 100 ? "updated" : i < 500 ? "old " + i : "new " + i;
                assertThat(comments(client)
                                .find(new Document("_id", "c-" + i))
                                .first()
                                .getString("text"))
                        .as("c-%d", i)
                        .isEqualTo(text);
            }
        }
    }

    private static void assertEveryIdFoundOnceAndRefusedTwice(MongoCollection<Document> comments, List<Object> ids) {
        for (Object id : ids) {
            Document found = comments.find(new Document("_id", id)).first();
            assertThat(found).as("by _id %s", id).isNotNull();
            assertThat(found.get("_id")).isEqualTo(id);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> comments.insertOne(new Document("_id", id)))
                    .as("a second %s", id)
                    .isInstanceOf(MongoWriteException.class)
                    .hasMessageContaining("E11000");
        }
        assertThat(comments.countDocuments()).isEqualTo(ids.size());
        assertThat(comments.find(new Document("_id", "nobody")).first()).isNull();
    }

    @Test
    void saysWhenThePortIsTaken() throws Exception {
        try (MongoStore first = MongoStore.start(tmp.resolve("a.mv.db"), "localhost", 0)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> MongoStore.start(tmp.resolve("b.mv.db"), "localhost", first.port()))
                    .hasMessageContaining("cannot listen on localhost:" + first.port());
        }
    }

    private static MongoCollection<Document> comments(MongoClient client) {
        return client.getDatabase("comments").getCollection("comments");
    }
}
