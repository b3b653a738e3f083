package dev.talkback.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.IndexKey;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded store's indexes (secondary ones, and unique ones serving queries with more criteria) answer exactly as
 * a scan does, through inserts, conditional updates, deletes and a restart of the H2 file store; and they are what
 * serves equality queries.
 */
class SecondaryIndexTests {

    @TempDir
    Path tmp;

    private static final List<Bson> QUERIES = List.of(
            Filters.eq("articleId", "a-3"),
            Filters.and(
                    Filters.eq("articleId", "a-3"), Filters.eq("status", "PUBLISHED"), Filters.eq("parentId", null)),
            Filters.and(Filters.eq("articleId", "a-1"), Filters.ne("parentId", null)),
            Filters.in("emailKey", "e-1@example.org", "e-7@example.org", "nobody@example.org"),
            Filters.eq("bands", 259L),
            Filters.in("bands", 3L, 517L),
            Filters.and(Filters.eq("emailKey", "e-2@example.org"), Filters.gte("n", 100)),
            Filters.and(
                    Filters.in("emailKey", "e-2@example.org", "e-3@example.org"),
                    Filters.gt("n", 100),
                    Filters.lte("n", 303)),
            Filters.and(Filters.eq("emailKey", "e-2@example.org"), Filters.lt("n", 100)),
            Filters.and(Filters.eq("emailKey", "e-3@example.org"), Filters.ne("n", 103)),
            Filters.and(Filters.eq("bands", 259L), Filters.gte("n", 200)),
            Filters.eq("n", 7),
            Filters.gte("n", 390),
            Filters.and(Filters.gt("n", 10), Filters.lte("n", 20)),
            Filters.lt("n", "z"),
            Filters.eq("articleId", null),
            Filters.or(Filters.eq("emailKey", "e-4@example.org"), Filters.eq("bands", 4L)),
            Filters.and(Filters.eq("_id", "c-12"), Filters.lt("n", 100)),
            Filters.and(Filters.eq("_id", "c-12"), Filters.gt("n", 100)),
            Filters.and(Filters.in("_id", "c-1", "c-2", "c-3", "c-999"), Filters.eq("status", "HELD")),
            // the same with one key per field, as the services' queries come (the driver's Filters.and sends an
            // $and, which the store scans for)
            flat("articleId", "a-3", "status", "PUBLISHED", "parentId", null),
            flat("articleId", "a-1", "parentId", new Document("$ne", null)),
            flat("articleId", "a-3", "status", "PUBLISHED", "parentId", null, "publishedAt", new Document("$gt", 5)),
            flat("emailKey", "e-2@example.org", "n", new Document("$gte", 100)),
            flat(
                    "emailKey",
                    new Document("$in", List.of("e-2@example.org", "e-3@example.org")),
                    "n",
                    new Document("$gt", 100).append("$lte", 303)),
            flat("emailKey", "e-2@example.org", "n", new Document("$lt", 100)),
            flat("emailKey", "e-3@example.org", "n", new Document("$ne", 103)),
            flat("bands", 259L, "n", new Document("$gte", 200)),
            flat("n", new Document("$gt", 10).append("$lte", 20)),
            flat("_id", "c-12", "n", new Document("$lt", 100)),
            flat("_id", "c-12", "n", new Document("$gt", 100)),
            flat("_id", new Document("$in", List.of("c-1", "c-2", "c-3", "c-999")), "status", "HELD"));

    /**
     * Sorted and limited, on an index shaped as the outbox's ({@code status, channel, nextAttemptAt}): with both key
     * fields fixed, one bucket is walked in the sort's order; otherwise the library sorts every candidate.
     */
    private static final List<SortedQuery> SORTED = List.of(
            new SortedQuery(
                    flat("status", "PUBLISHED", "articleId", "a-3", "n", new Document("$gte", 100)),
                    Sorts.ascending("n"),
                    0,
                    5),
            new SortedQuery(
                    flat("status", "PUBLISHED", "articleId", "a-3", "n", new Document("$lte", 300)),
                    Sorts.descending("n"),
                    0,
                    5),
            new SortedQuery(flat("status", "PUBLISHED", "articleId", "a-3"), Sorts.ascending("n"), 2, 4),
            new SortedQuery(flat("status", "PUBLISHED", "articleId", "a-2"), Sorts.descending("n"), 0, 60),
            new SortedQuery(
                    flat("status", "HELD", "articleId", "a-2", "parentId", new Document("$ne", null)),
                    Sorts.ascending("n"),
                    0,
                    3),
            new SortedQuery(
                    flat("status", "PUBLISHED", "articleId", new Document("$in", List.of("a-1", "a-2"))),
                    Sorts.ascending("n"),
                    0,
                    4),
            new SortedQuery(flat("status", "HELD"), Sorts.descending("n"), 0, 6),
            new SortedQuery(
                    flat("status", "PUBLISHED", "articleId", "a-3"),
                    Sorts.orderBy(Sorts.ascending("articleId"), Sorts.ascending("n")),
                    0,
                    5));

    /**
     * A filter as the services' Spring Data criteria send it, one key per field ({@code Filters.and} sends an
     * {@code $and}, which no index here serves).
     */
    private static Document flat(Object... namesAndConditions) {
        Document filter = new Document();
        for (int i = 0; i < namesAndConditions.length; i += 2) {
            filter.append((String) namesAndConditions[i], namesAndConditions[i + 1]);
        }
        return filter;
    }

    private record SortedQuery(Bson filter, Bson sort, int skip, int limit) {}

    @Test
    void answersAsAScanDoesThroughWritesAndARestart() throws Exception {
        Path file = tmp.resolve("store.mv.db");
        List<List<String>> scanned = new ArrayList<>();
        // the same data without any index but _id, on the library's own backend: what a scan answers
        MongoServer plain = new MongoServer(new de.bwaldvogel.mongo.backend.memory.MemoryBackend());
        var plainAddress = plain.bind();
        try (MongoClient client = MongoClients.create("mongodb://localhost:" + plainAddress.getPort())) {
            var comments = client.getDatabase("test").getCollection("comments");
            write(comments);
            for (Bson query : QUERIES) {
                scanned.add(ids(comments, query));
            }
            var deliveries = client.getDatabase("test").getCollection("deliveries");
            write(deliveries);
            for (SortedQuery query : SORTED) {
                scanned.add(ids(deliveries, query));
            }
        } finally {
            plain.shutdownNow();
        }
        assertThat(scanned.get(0)).isNotEmpty();
        assertThat(scanned.get(4)).isNotEmpty();

        try (var store = MongoStore.start(file, "localhost", 0);
                MongoClient client = MongoClients.create(store.uri("test"))) {
            var comments = client.getDatabase("test").getCollection("comments");
            comments.createIndex(Indexes.ascending("articleId", "status", "parentId", "publishedAt"));
            comments.createIndex(Indexes.ascending("emailKey", "n"));
            comments.createIndex(Indexes.ascending("bands", "n"));
            comments.createIndex(Indexes.ascending("n"));
            write(comments);
            // the only index of its collection, so that it is the one that serves these queries
            var deliveries = client.getDatabase("test").getCollection("deliveries");
            deliveries.createIndex(Indexes.ascending("status", "articleId", "n"));
            write(deliveries);
            for (int i = 0; i < QUERIES.size(); i++) {
                assertThat(ids(comments, QUERIES.get(i)))
                        .as("query %s", QUERIES.get(i))
                        .isEqualTo(scanned.get(i));
            }
            for (int i = 0; i < SORTED.size(); i++) {
                assertThat(ids(deliveries, SORTED.get(i)))
                        .as("sorted %s", SORTED.get(i))
                        .isEqualTo(scanned.get(QUERIES.size() + i))
                        .isNotEmpty();
            }
        }
        // reopened: the indexes are rebuilt from the stored documents, and the services' createIndex still succeeds
        try (var store = MongoStore.start(file, "localhost", 0);
                MongoClient client = MongoClients.create(store.uri("test"))) {
            var comments = client.getDatabase("test").getCollection("comments");
            comments.createIndex(Indexes.ascending("articleId", "status", "parentId", "publishedAt"));
            for (int i = 0; i < QUERIES.size(); i++) {
                assertThat(ids(comments, QUERIES.get(i)))
                        .as("after restart: %s", QUERIES.get(i))
                        .isEqualTo(scanned.get(i));
            }
        }
    }

    @Test
    void servesARangeOnTheSecondFieldOfACompoundIndex() {
        var index = new SecondaryIndex<Integer>(
                "emailKey_1_n_1", List.of(new IndexKey("emailKey", true), new IndexKey("n", true)), false);
        for (int n = 0; n < 10; n++) {
            index.add(
                    new de.bwaldvogel.mongo.bson.Document("_id", "c-" + n)
                            .append("emailKey", "e")
                            .append("n", n),
                    n,
                    null);
        }
        var query = new de.bwaldvogel.mongo.bson.Document("emailKey", "e")
                .append("n", new de.bwaldvogel.mongo.bson.Document("$gte", 7));
        assertThat(index.getPositions(query)).containsExactly(9, 8, 7);
    }

    @Test
    void documentsSharingASecondFieldValueAreAllFoundAndRemovedOneByOne() {
        var index = new SecondaryIndex<Integer>(
                "emailKey_1_n_1", List.of(new IndexKey("emailKey", true), new IndexKey("n", true)), false);
        List<de.bwaldvogel.mongo.bson.Document> documents = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            documents.add(new de.bwaldvogel.mongo.bson.Document("_id", "c-" + i)
                    .append("emailKey", "e")
                    .append("n", i < 3 ? 1 : i));
            index.add(documents.get(i), i, null);
        }
        var all = new de.bwaldvogel.mongo.bson.Document("emailKey", "e");
        assertThat(index.getPositions(all)).containsExactly(5, 4, 3, 0, 1, 2);
        index.remove(documents.get(1));
        index.remove(documents.get(4));
        assertThat(index.getPositions(all)).containsExactly(5, 3, 0, 2);
        index.remove(documents.get(0));
        index.remove(documents.get(2));
        assertThat(index.getPositions(new de.bwaldvogel.mongo.bson.Document("emailKey", "e")
                        .append("n", new de.bwaldvogel.mongo.bson.Document("$lte", 3))))
                .containsExactly(3);
        assertThat(index.getCount()).isEqualTo(2);
    }

    @Test
    void servesARangeOnItsFirstFieldByItsDistinctValues() {
        var index =
                new SecondaryIndex<Integer>("publishPending_1", List.of(new IndexKey("publishPending", true)), true);
        for (int n = 0; n < 10; n++) {
            index.add(new de.bwaldvogel.mongo.bson.Document("_id", "c-" + n).append("publishPending", n * 10), n, null);
        }
        index.add(new de.bwaldvogel.mongo.bson.Document("_id", "c-x").append("publishPending", "later"), 10, null);
        // the bulk of a collection with a sparse mark: documents without it, or with null
        for (int n = 11; n < 1_000; n++) {
            var unmarked = new de.bwaldvogel.mongo.bson.Document("_id", "c-" + n);
            index.add(n % 2 == 0 ? unmarked : unmarked.append("publishPending", null), n, null);
        }
        var due = new de.bwaldvogel.mongo.bson.Document(
                "publishPending", new de.bwaldvogel.mongo.bson.Document("$lte", 20));
        assertThat(index.canHandle(due)).isTrue();
        // a value of another type is a candidate (the store's matcher decides on it); an absent one never is
        assertThat(index.getPositions(due)).containsExactlyInAnyOrder(0, 1, 2, 10);
    }

    /**
     * An index on a field of an embedded document ({@code mail.recipientHash} of the outbox, which releases the mails
     * waiting for an address's confirmation) finds its documents by that field's value.
     */
    @Test
    void servesAFieldOfAnEmbeddedDocument() {
        var index = new SecondaryIndex<Integer>(
                "mail.recipientHash_1", List.of(new IndexKey("mail.recipientHash", true)), false);
        for (int n = 0; n < 4; n++) {
            index.add(
                    new de.bwaldvogel.mongo.bson.Document("_id", "d-" + n)
                            .append("status", "PENDING")
                            .append("mail", new de.bwaldvogel.mongo.bson.Document("recipientHash", "h-" + n % 2)),
                    n,
                    null);
        }
        var query = new de.bwaldvogel.mongo.bson.Document("status", "PENDING").append("mail.recipientHash", "h-1");
        assertThat(index.canHandle(query)).isTrue();
        assertThat(index.getPositions(query)).containsExactlyInAnyOrder(1, 3);
    }

    @Test
    void servesEqualityAndInOnItsFirstFieldNotOnTheOthers() {
        var index = new SecondaryIndex<Integer>(
                "articleId_1_status_1", List.of(new IndexKey("articleId", true), new IndexKey("status", true)), false);
        var first = new de.bwaldvogel.mongo.bson.Document("_id", "c-1")
                .append("articleId", "a-1")
                .append("status", "X");
        var second = new de.bwaldvogel.mongo.bson.Document("_id", "c-2")
                .append("articleId", "a-2")
                .append("status", "X");
        index.add(first, 1, null);
        index.add(second, 2, null);

        assertThat(index.canHandle(new de.bwaldvogel.mongo.bson.Document("articleId", "a-1")))
                .isTrue();
        assertThat(index.getPositions(new de.bwaldvogel.mongo.bson.Document("articleId", "a-1")))
                .containsExactly(1);
        var in = new de.bwaldvogel.mongo.bson.Document(
                "articleId", new de.bwaldvogel.mongo.bson.Document("$in", List.of("a-1", "a-2")));
        assertThat(index.getPositions(in)).containsExactlyInAnyOrder(1, 2);
        assertThat(index.canHandle(new de.bwaldvogel.mongo.bson.Document("status", "X")))
                .isFalse();
        assertThat(index.canHandle(new de.bwaldvogel.mongo.bson.Document(
                        "articleId", new de.bwaldvogel.mongo.bson.Document("$regex", "a"))))
                .isFalse();

        assertThat(index.remove(first)).isEqualTo(1);
        assertThat(index.getPositions(new de.bwaldvogel.mongo.bson.Document("articleId", "a-1")))
                .isEmpty();
        assertThat(index.getCount()).isEqualTo(1);
    }

    @Test
    void theInMemoryBackendHasThemToo() {
        MongoServer server = new MongoServer(MongoStore.memoryBackend());
        var address = server.bind();
        try (MongoClient client = MongoClients.create("mongodb://localhost:" + address.getPort())) {
            var comments = client.getDatabase("test").getCollection("comments");
            comments.createIndex(Indexes.ascending("emailKey"));
            write(comments);
            // 40 written, c-33 deleted, c-43 replaced without an author
            assertThat(ids(comments, Filters.eq("emailKey", "e-3@example.org"))).hasSize(38);
        } finally {
            server.shutdownNow();
        }
    }

    @Test
    void aRegularExpressionOnAnIndexedFieldMatchesAsOneNotAsItsText() {
        MongoServer server = new MongoServer(MongoStore.memoryBackend());
        var address = server.bind();
        try (MongoClient client = MongoClients.create("mongodb://localhost:" + address.getPort())) {
            var reports = client.getDatabase("test").getCollection("reports");
            reports.createIndex(Indexes.ascending("notice.email"));
            reports.insertOne(new Document("_id", "r-1").append("notice", new Document("email", "Ada@Example.org")));
            reports.insertOne(new Document("_id", "r-2").append("notice", new Document("email", "bob@example.org")));

            assertThat(ids(reports, Filters.regex("notice.email", "^ada@example\\.org$", "i")))
                    .containsExactly("r-1");
        } finally {
            server.shutdownNow();
        }
    }

    /** 400 comments on 10 articles from 10 authors, then some updated (moved article, new author) and deleted. */
    private static void write(MongoCollection<Document> comments) {
        Random random = new Random(42);
        List<Document> batch = new ArrayList<>();
        for (int n = 0; n < 400; n++) {
            batch.add(new Document("_id", "c-" + n)
                    .append("n", n)
                    .append("articleId", "a-" + (n % 10))
                    .append("emailKey", "e-" + (n % 10) + "@example.org")
                    .append("status", n % 3 == 0 ? "HELD" : "PUBLISHED")
                    .append("parentId", n % 4 == 0 ? "c-" + (n / 2) : null)
                    .append(
                            "bands",
                            List.of(
                                    (long) random.nextInt(256),
                                    256L + random.nextInt(256),
                                    512L + random.nextInt(256))));
        }
        comments.insertMany(batch);
        comments.updateMany(Filters.eq("articleId", "a-5"), Updates.set("articleId", "a-3"));
        comments.updateMany(Filters.in("_id", "c-11", "c-21"), Updates.set("emailKey", "e-7@example.org"));
        comments.updateOne(Filters.eq("_id", "c-13"), Updates.unset("articleId"));
        comments.updateOne(Filters.eq("_id", "c-22"), Updates.unset("n"));
        comments.updateOne(Filters.eq("_id", "c-23"), Updates.set("n", null));
        comments.updateOne(Filters.eq("_id", "c-32"), Updates.set("n", "not a number"));
        comments.updateOne(Filters.eq("_id", "c-42"), Updates.set("n", 5));
        comments.deleteMany(Filters.eq("emailKey", "e-9@example.org"));
        // conditional updates by id, the shape of "only if newer" and "only while leased"
        comments.updateOne(Filters.and(Filters.eq("_id", "c-14"), Filters.lt("n", 5)), Updates.set("status", "X"));
        comments.updateOne(Filters.and(Filters.eq("_id", "c-15"), Filters.gt("n", 5)), Updates.set("status", "HELD"));
        comments.updateOne(
                Filters.and(Filters.eq("_id", "c-16"), Filters.eq("status", "PUBLISHED")),
                Updates.set("articleId", "a-3"));
        comments.deleteOne(Filters.eq("_id", "c-33"));
        comments.replaceOne(
                Filters.eq("_id", "c-43"),
                new Document("n", 43)
                        .append("articleId", "a-1")
                        .append("parentId", "c-1")
                        .append("bands", List.of(259L)));
    }

    /** In the order the store answers them. */
    private static List<String> ids(MongoCollection<Document> comments, SortedQuery query) {
        return comments.find(query.filter())
                .sort(query.sort())
                .skip(query.skip())
                .limit(query.limit())
                .map(found -> found.getString("_id"))
                .into(new ArrayList<>());
    }

    private static List<String> ids(MongoCollection<Document> comments, Bson query) {
        return comments.find(query)
                .sort(Sorts.ascending("_id"))
                .map(found -> found.getString("_id"))
                .into(new ArrayList<>());
    }
}
