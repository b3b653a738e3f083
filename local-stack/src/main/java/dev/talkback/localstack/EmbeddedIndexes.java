package dev.talkback.localstack;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayList;
import java.util.List;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * mongo-java-server backends whose indexes serve the services' queries as MongoDB's would. Out of the box it uses an
 * index only when a query names exactly the index's fields ({@code {_id: x}}, not {@code {_id: x, revision: {$lt:
 * n}}}) and ignores non-unique indexes, so most of the services' queries read the whole collection: the embedded
 * store then slows down with every comment stored (a moderation-service instance decided 22 comments per second
 * with 3,000 stored), and the local stack's figures would say nothing about the product.
 *
 * <p>Its file store also keeps documents as BSON rather than Java-serialized ({@link StoredDocuments}).
 *
 * @see SecondaryIndex
 * @see UniqueIndexWithFilter
 */
final class EmbeddedIndexes {

    private EmbeddedIndexes() {}

    /**
     * H2's page cache, in MB (its default is 16). The store keeps documents Java-serialized in pages of dozens, and
     * reading one document from a page that is not cached deserializes the whole page: with the default, that was
     * half of the store's CPU once a few tens of thousands of comments were stored.
     */
    private static final int PAGE_CACHE_MB = 64;

    /**
     * When the live share of the file falls below it, H2 rewrites chunks in the background (its default, 90, kept it
     * rewriting while the services updated every comment they had just inserted).
     */
    private static final int COMPACT_BELOW_FILL_PERCENT = 50;

    /** An H2 file store with these indexes. */
    static H2Backend h2Backend(String file) {
        MVStore store = new MVStore.Builder()
                .fileName(file)
                .cacheSize(PAGE_CACHE_MB)
                .autoCompactFillRate(COMPACT_BELOW_FILL_PERCENT)
                .open();
        return new H2Backend(store) {
            @Override
            protected MongoDatabase openOrCreateDatabase(String name) {
                return new H2Database(name, getMvStore(), getCursorRegistry()) {
                    @Override
                    protected MongoCollection<Object> openOrCreateCollection(
                            String collection, CollectionOptions options) {
                        // the library's names for the collection's maps (H2Database.openOrCreateCollection)
                        String namespace = getFullCollectionNamespace(collection);
                        StoredDocuments.open(getMvStore(), "databases." + namespace);
                        return new SortedByIndexCollection(
                                this,
                                collection,
                                options,
                                getMvStore().openMap("databases." + namespace),
                                getMvStore().openMap("meta." + namespace),
                                getCursorRegistry());
                    }

                    @Override
                    protected Index<Object> openOrCreateUniqueIndex(
                            String collection, String indexName, List<IndexKey> keys, boolean sparse) {
                        // the library's name for the index's map (H2Database.mapNameForIndex)
                        UniqueIndexKeys.open(
                                getMvStore(), getFullCollectionNamespace(collection) + "._index_" + indexName);
                        return new UniqueIndexWithFilter<>(
                                super.openOrCreateUniqueIndex(collection, indexName, keys, sparse), sparse);
                    }

                    @Override
                    protected Index<Object> openOrCreateSecondaryIndex(
                            String collection, String indexName, List<IndexKey> keys, boolean sparse) {
                        return new SecondaryIndex<>(indexName, keys, sparse);
                    }
                };
            }
        };
    }

    /**
     * The library's H2 collection, except that a query served by a unique index is not matched again on the index's
     * fields, and a query served by one bucket of a {@link SecondaryIndex}, sorted on
     * that index's last field and limited, reads candidates in the sort's order and stops once it has enough matches,
     * as MongoDB walks an index; the library reads every candidate and sorts them all. Notification-service's
     * dispatcher asks every few seconds for the 50 oldest due deliveries of a channel: with a backlog of 30,000 due
     * mails, each poll read all 30,000 (decoded, into the page cache), and the store ran out of heap.
     */
    private static final class SortedByIndexCollection extends H2Collection {

        SortedByIndexCollection(
                MongoDatabase database,
                String collection,
                CollectionOptions options,
                MVMap<Object, Document> documents,
                MVMap<String, Object> meta,
                CursorRegistry cursors) {
            super(database, collection, options, documents, meta, cursors);
        }

        /**
         * A query a unique index serves by its fields ({@code {_id: {$in: [...]}, ...}}) is matched against what the
         * index found without those fields, which the index has matched: the library compares each document found
         * with every value of an {@code $in}, so a look-up of thousands of ids cost thousands times thousands.
         */
        @Override
        protected QueryResult queryDocuments(
                Document query,
                Document orderBy,
                int numberToSkip,
                int numberToReturn,
                int batchSize,
                Document fieldSelector) {
            for (Index<Object> index : getIndexes()) {
                if (index instanceof UniqueIndexWithFilter<Object> unique && unique.canHandle(query)) {
                    return matchDocuments(
                            unique.unmatched(query),
                            unique.getPositions(query),
                            orderBy,
                            numberToSkip,
                            numberToReturn,
                            batchSize,
                            fieldSelector);
                }
            }
            return super.queryDocuments(query, orderBy, numberToSkip, numberToReturn, batchSize, fieldSelector);
        }

        @Override
        protected QueryResult matchDocuments(
                Document query,
                Iterable<Object> positions,
                Document orderBy,
                int numberToSkip,
                int numberToReturn,
                int batchSize,
                Document fieldSelector) {
            List<Object> inOrder =
                    positions instanceof SecondaryIndex.OrderedPositions<Object> ordered && numberToReturn > 0
                            ? ordered.inOrderOf(orderBy)
                            : null;
            if (inOrder == null) {
                return super.matchDocuments(
                        query, positions, orderBy, numberToSkip, numberToReturn, batchSize, fieldSelector);
            }
            int wanted = numberToSkip + numberToReturn;
            List<Object> first = new ArrayList<>(wanted);
            for (Object position : inOrder) {
                if (documentMatchesQuery(getDocument(position), query)) {
                    first.add(position);
                    if (first.size() == wanted) {
                        break;
                    }
                }
            }
            // the library sorts, skips, limits, projects and batches these few as it would have all of them
            return super.matchDocuments(query, first, orderBy, numberToSkip, numberToReturn, batchSize, fieldSelector);
        }
    }

    /** An in-memory store with these indexes. */
    static MemoryBackend memoryBackend() {
        return new MemoryBackend() {
            @Override
            public MemoryDatabase openOrCreateDatabase(String name) {
                return new MemoryDatabase(name, getCursorRegistry()) {
                    @Override
                    protected Index<Integer> openOrCreateUniqueIndex(
                            String collection, String indexName, List<IndexKey> keys, boolean sparse) {
                        return new UniqueIndexWithFilter<>(
                                super.openOrCreateUniqueIndex(collection, indexName, keys, sparse), sparse);
                    }

                    @Override
                    protected Index<Integer> openOrCreateSecondaryIndex(
                            String collection, String indexName, List<IndexKey> keys, boolean sparse) {
                        return new SecondaryIndex<>(indexName, keys, sparse);
                    }
                };
            }
        };
    }
}
