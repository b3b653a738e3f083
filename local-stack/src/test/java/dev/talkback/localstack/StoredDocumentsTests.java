package dev.talkback.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import de.bwaldvogel.mongo.bson.Document;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.ObjectDataType;
import org.junit.jupiter.api.Test;

class StoredDocumentsTests {

    private final StoredDocuments type = StoredDocuments.INSTANCE;

    private final Document comment = new Document("_id", "c-1")
            .append("text", "Bonjour à tous")
            .append("revision", 3)
            .append("receivedAt", Instant.parse("2026-11-29T10:00:00.123Z"))
            .append("labels", List.of("spam", "link"))
            .append("author", new Document("name", "Ana"));

    @Test
    void writesBsonFarSmallerThanJavaSerializationAndReadsItBack() {
        ByteBuffer bson = written(buffer -> type.write(buffer, comment));
        ByteBuffer java = written(buffer -> new ObjectDataType().write(buffer, comment));

        assertThat(bson.remaining()).isLessThan(java.remaining() / 2);
        assertThat(type.read(bson)).isEqualTo(comment);
        assertThat(bson.hasRemaining()).as("reads exactly its own bytes").isFalse();
    }

    @Test
    void readsDocumentsJavaSerializedByAnOlderStore() {
        ByteBuffer old = written(buffer -> new ObjectDataType().write(buffer, comment));

        assertThat(type.read(old)).isEqualTo(comment);
        assertThat(old.hasRemaining()).isFalse();
    }

    @Test
    void readsDocumentsOneAfterAnotherInAPage() {
        Document reply = new Document("_id", "c-2").append("text", "Merci").append("parentId", "c-1");
        ByteBuffer page = written(buffer -> {
            type.write(buffer, comment);
            new ObjectDataType().write(buffer, reply);
            type.write(buffer, reply);
        });

        assertThat(List.of(type.read(page), type.read(page), type.read(page))).containsExactly(comment, reply, reply);
    }

    private static ByteBuffer written(java.util.function.Consumer<WriteBuffer> write) {
        WriteBuffer buffer = new WriteBuffer();
        write.accept(buffer);
        return buffer.getBuffer().flip();
    }
}
