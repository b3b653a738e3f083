package dev.talkback.localstack;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Map;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;
import org.h2.mvstore.type.DataType;
import org.h2.mvstore.type.ObjectDataType;

/**
 * The value type of the H2 maps that hold a collection's documents: BSON, as MongoDB stores them. mongo-java-server
 * opens these maps with H2's default type, which Java-serializes every document, class descriptors included, each
 * time a page is written and each time a page that is not cached is read. Once some 20,000 comments were stored, that
 * work, done while holding a collection's lock, stalled every writer of the collection for one to six seconds.
 *
 * <p>Documents written by an older local stack (Java-serialized, H2's tag {@value #JAVA_SERIALIZED}) are still read;
 * H2 writes them again as BSON when it next writes their page.
 */
final class StoredDocuments extends BasicDataType<Document> {

    static final StoredDocuments INSTANCE = new StoredDocuments();
    /** The first byte of a value H2's default type wrote for a Java-serialized object. */
    private static final byte JAVA_SERIALIZED = 19;
    /** The first byte of a value written by this type; H2's default type never starts a value with it. */
    private static final byte BSON = (byte) 0xB5;

    private final DataType<Object> javaSerialized = new ObjectDataType();

    private StoredDocuments() {}

    /**
     * Opens a collection's document map with this value type before the library does (it then gets this same, already
     * open map).
     */
    static void open(MVStore store, String mapName) {
        MVMap<Object, Document> map = store.openMap(mapName, new MVMap.Builder<Object, Document>().valueType(INSTANCE));
        if (map.getValueType() != INSTANCE) {
            throw new IllegalStateException("H2 map " + mapName + " was opened before its value type was set");
        }
    }

    @Override
    public void write(WriteBuffer buffer, Document document) {
        ByteBuf bson = Unpooled.buffer(256);
        try {
            BsonEncoder.encodeDocument(document, bson);
        } catch (RuntimeException notBson) {
            // a value the library keeps but has no BSON for: H2 runs this while it commits, where a failure would stop
            // the store from writing anything, so the document is kept the old way, which read() still understands
            javaSerialized.write(buffer, document);
            return;
        }
        buffer.put(BSON).put(bson.nioBuffer());
    }

    @Override
    public Document read(ByteBuffer buffer) {
        byte format = buffer.get(buffer.position());
        if (format == JAVA_SERIALIZED) {
            return (Document) javaSerialized.read(buffer);
        }
        if (format != BSON) {
            throw new IllegalStateException("A stored document starts with the unknown byte " + format);
        }
        buffer.get();
        ByteBuf bson = Unpooled.wrappedBuffer(buffer.slice());
        Document document = BsonDecoder.decodeBson(bson);
        buffer.position(buffer.position() + bson.readerIndex());
        return document;
    }

    /** What H2 counts against its page cache and its write buffer: an estimate of the document's size on the heap. */
    @Override
    public int getMemory(Document document) {
        return heapSize(document);
    }

    private static int heapSize(Object value) {
        if (value instanceof Map<?, ?> map) {
            int size = 64;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                size += 40 + heapSize(entry.getKey()) + heapSize(entry.getValue());
            }
            return size;
        }
        if (value instanceof Collection<?> values) {
            int size = 40;
            for (Object element : values) {
                size += 8 + heapSize(element);
            }
            return size;
        }
        if (value instanceof CharSequence text) {
            return 48 + text.length();
        }
        if (value instanceof byte[] bytes) {
            return 16 + bytes.length;
        }
        return 24;
    }

    @Override
    public Document[] createStorage(int size) {
        return new Document[size];
    }
}
