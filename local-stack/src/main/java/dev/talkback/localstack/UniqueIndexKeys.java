package dev.talkback.localstack;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.ValueComparator;
import java.nio.ByteBuffer;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;
import org.h2.mvstore.type.ObjectDataType;

/**
 * The key type of the H2 maps behind mongo-java-server's unique indexes ({@code _id} in every collection). The
 * library opens them with H2's default type, which knows no {@link KeyValue} and so compares two keys by
 * Java-serializing both: every lookup by {@code _id} serialized some thirty objects, and that was a third of the
 * embedded store's CPU and half of what it allocated. Here keys compare as MongoDB values, field by field; each value is
 * written with H2's default type (compact for strings and numbers).
 *
 * <p>Maps written with the library's own type (by an older local stack) cannot be read with this one. {@link #open}
 * drops such a map the first time, and mongo-java-server then builds the empty index again from the documents.
 */
final class UniqueIndexKeys extends BasicDataType<KeyValue> {

    private static final UniqueIndexKeys INSTANCE = new UniqueIndexKeys();
    /** Records which unique-index maps are in this order: name → {@link #ORDER_VERSION}. */
    private static final String ORDERED_MAPS = "talkback.unique-index-order";

    private static final int ORDER_VERSION = 1;

    private final ObjectDataType values = new ObjectDataType();

    private UniqueIndexKeys() {}

    /**
     * Opens the named unique-index map with these keys before the library does (it then gets this same, already open
     * map); drops it first if it was written with another type.
     */
    static void open(MVStore store, String mapName) {
        MVMap<String, Integer> ordered = store.openMap(ORDERED_MAPS);
        if (!Integer.valueOf(ORDER_VERSION).equals(ordered.get(mapName))) {
            if (store.hasMap(mapName)) {
                store.removeMap(mapName); // its pages hold keys of another type: dropped, not read
            }
            ordered.put(mapName, ORDER_VERSION);
        }
        store.openMap(mapName, new MVMap.Builder<KeyValue, Object>().keyType(INSTANCE));
    }

    @Override
    public int compare(KeyValue a, KeyValue b) {
        int common = Math.min(a.size(), b.size());
        for (int i = 0; i < common; i++) {
            int order = ValueComparator.ascWithoutListHandling().compare(a.get(i), b.get(i));
            if (order != 0) {
                return order;
            }
        }
        if (a.size() != b.size()) {
            return Integer.compare(a.size(), b.size());
        }
        // values MongoDB orders alike but that are not the same key (the library's keys are normalized, so rare):
        // H2's own, slow comparison keeps them apart
        return a.equals(b) ? 0 : values.compare(a, b);
    }

    @Override
    public int getMemory(KeyValue key) {
        int memory = 24;
        for (Object value : key) {
            memory += values.getMemory(value);
        }
        return memory;
    }

    @Override
    public void write(WriteBuffer buffer, KeyValue key) {
        buffer.putVarInt(key.size());
        for (Object value : key) {
            values.write(buffer, value);
        }
    }

    @Override
    public KeyValue read(ByteBuffer buffer) {
        Object[] read = new Object[DataUtils.readVarInt(buffer)];
        for (int i = 0; i < read.length; i++) {
            read[i] = values.read(buffer);
        }
        return new KeyValue(read);
    }

    @Override
    public KeyValue[] createStorage(int size) {
        return new KeyValue[size];
    }
}
