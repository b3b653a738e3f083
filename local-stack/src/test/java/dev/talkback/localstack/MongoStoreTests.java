package dev.talkback.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import org.bson.Document;
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
    void saysWhenThePortIsTaken() throws Exception {
        try (MongoStore first = MongoStore.start(tmp.resolve("a.mv.db"), "localhost", 0)) {
            org.assertj.core.api.Assertions
                    .assertThatThrownBy(() -> MongoStore.start(tmp.resolve("b.mv.db"), "localhost", first.port()))
                    .hasMessageContaining("cannot listen on localhost:" + first.port());
        }
    }

    private static MongoCollection<Document> comments(MongoClient client) {
        return client.getDatabase("comments").getCollection("comments");
    }
}
