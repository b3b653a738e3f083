package dev.talkback.moderation.comments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.talkback.engine.AuthorHistory;
import dev.talkback.events.CommentModerated;
import dev.talkback.moderation.EmbeddedServiceTests;
import dev.talkback.moderation.Tokens;
import dev.talkback.support.privacy.AddressKeys;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.index.IndexInfo;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/**
 * Where a comment's personal data is kept and for how long: the address only as a key in the comment, the address, IP
 * address and user agent apart in {@code comment_clients} under a TTL index of the retention (mongo-java-server keeps
 * the index but never expires documents, so expiry is simulated here by removing the document, as MongoDB's TTL
 * monitor would), a report's IP address removed after the retention, and the upgrade of what earlier versions stored.
 */
class ClientDataTests extends EmbeddedServiceTests {

    private static final Duration RETENTION = Duration.ofDays(90);

    @Autowired
    AutomaticModeration automatic;

    @Autowired
    CommentClients clients;

    @Autowired
    ClientDataUpgrade upgrade;

    @Autowired
    ReporterIpRetention reporterIps;

    @Autowired
    CommentPersonalData personalData;

    @Autowired
    MongoAuthorHistory authorHistory;

    @Autowired
    AddressKeys keys;

    @Autowired
    ReactiveMongoTemplate mongo;

    @Test
    void theClientDataIsKeptApartUnderATtlIndexOfTheRetentionAndTheCommentHoldsOnlyTheKey() {
        String email = TestComments.author();
        String ip = "2001:db8::" + Integer.toHexString((int) (Math.random() * 0xffff));
        var comment = automatic.moderate(TestComments.submitted(TestComments.article(), email, "Kept apart.", ip));

        assertThat(ttl(CommentClient.COLLECTION, CommentClients.TTL_INDEX)).contains(RETENTION);
        CommentClient client = clients.of(comment.commentId()).block(WAIT);
        assertThat(client).isNotNull();
        assertThat(client.email()).isEqualTo(email);
        assertThat(client.clientIp()).isEqualTo(ip);
        assertThat(client.storedAt()).isCloseTo(Instant.now(), within(Duration.ofMinutes(1)));
        Document stored = document("comments", comment.commentId());
        assertThat(stored).doesNotContainKeys("clientIp", "userAgent");
        assertThat(stored.get("author", Document.class)).doesNotContainKey("email");
        assertThat(stored.getString("emailKey")).isEqualTo(keys.of(email));
        // neither do the flood counters and duplicate-check entries hold the address or the IP address
        for (String collection : List.of(FloodCounters.COLLECTION, RecentFingerprints.COLLECTION, "comments")) {
            assertThat(mongo.findAll(Document.class, collection)
                            .map(Document::toJson)
                            .filter(json -> json.contains(email) || json.contains(ip))
                            .collectList()
                            .block(WAIT))
                    .as(collection)
                    .isEmpty();
        }
        assertThat(mongo.exists(
                                Query.query(Criteria.where("_id").is("email:" + keys.of(email))),
                                FloodCounters.COLLECTION)
                        .block(WAIT))
                .isTrue();
        assertThat(ttl(FloodCounters.COLLECTION, "lastAt_1")).contains(FloodCounters.RETENTION);
        // the duplicate-check entries outlive the longest duplicate window a site can set by nothing
        assertThat(ttl(RecentFingerprints.COLLECTION, RecentFingerprints.TTL_INDEX))
                .contains(Duration.ofDays(30));
    }

    @Test
    void onceTheClientDataIsGoneTheModeratorSeesNoAddressAndTheDecisionHasNoContact() {
        String email = TestComments.author();
        var held = automatic.moderate(TestComments.submitted(
                TestComments.article(), email, "Links https://a.x/1 https://b.x/2 https://c.x/3", "192.0.2.77"));
        assertThat(held.outcome()).isEqualTo(CommentModerated.Outcome.HELD);
        // what MongoDB's TTL monitor does once the retention has passed
        mongo.remove(Query.query(Criteria.where("_id").is(held.commentId())), CommentClient.class)
                .block(WAIT);

        JsonNode view = decide(held.commentId(), "APPROVE");

        assertThat(view.get("author").get("email").isNull()).isTrue();
        assertThat(view.get("clientIp").isNull()).isTrue();
        assertThat(view.get("userAgent").isNull()).isTrue();
        // the author's history still counts by the key
        assertThat(view.get("authorHistory").get("approved").asLong()).isEqualTo(1);
        var event = moderatedEvents(held.commentId(), 2).get(1);
        assertThat(event.outcome()).isEqualTo(CommentModerated.Outcome.APPROVED);
        assertThat(event.contact()).isNull();
    }

    @Test
    void aBanOfADomainOrAnIpRejectsTheCommentsWhoseClientDataIsHeld() {
        String domain = "d-" + UUID.randomUUID() + ".example";
        String ip = "2001:db8:1::" + Integer.toHexString((int) (Math.random() * 0xffff));
        var byDomain = automatic.moderate(
                TestComments.submitted(TestComments.article(), "a@" + domain, "From the domain.", null));
        var byDomainLongAgo =
                automatic.moderate(TestComments.submitted(TestComments.article(), "b@" + domain, "Long ago.", null));
        mongo.remove(Query.query(Criteria.where("_id").is(byDomainLongAgo.commentId())), CommentClient.class)
                .block(WAIT);
        var fromIp = automatic.moderate(
                TestComments.submitted(TestComments.article(), TestComments.author(), "From the IP.", ip));

        assertThat(ban("DOMAIN", domain).get("existing").get("rejected").toString())
                .contains(byDomain.commentId())
                .doesNotContain(byDomainLongAgo.commentId());
        assertThat(ban("IP", ip).get("existing").get("rejected").toString()).contains(fromIp.commentId());
    }

    @Test
    void aChangedRetentionIsGivenToTheExistingTtlIndex() {
        String collection = "ttl-" + UUID.randomUUID();
        mongo.indexOps(collection)
                .createIndex(new Index()
                        .on("storedAt", Sort.Direction.ASC)
                        .named(CommentClients.TTL_INDEX)
                        .expire(Duration.ofDays(30)))
                .block(WAIT);

        clients.applyRetention(collection, RETENTION).block(WAIT);

        assertThat(ttl(collection, CommentClients.TTL_INDEX)).contains(RETENTION);
    }

    @Test
    void theUpgradeMovesWhatAnOldCommentHeldToItsClientDataAndKeysItsAddress() {
        String email = "Old-" + UUID.randomUUID() + "@Example.org";
        String lower = email.toLowerCase(java.util.Locale.ROOT);
        Instant recently = Instant.now().minus(Duration.ofDays(3)).truncatedTo(ChronoUnit.MILLIS);
        String recent = insertOldComment(email, "198.51.100.201", recently);
        String longAgo = insertOldComment(email, "198.51.100.202", Instant.now().minus(Duration.ofDays(200)));
        mongo.insert(
                        new Document("_id", recent)
                                .append("articleId", "old-article")
                                .append("emailKey", lower)
                                .append(
                                        "fingerprint",
                                        new Document("exact", 1L)
                                                .append("simHash", 2L)
                                                .append("bands", List.of(3L))
                                                .append("words", 4))
                                .append("submittedAt", Date.from(recently)),
                        RecentFingerprints.COLLECTION)
                .block(WAIT);
        mongo.insert(new Document("_id", "email:" + lower).append("minutes", new Document()), FloodCounters.COLLECTION)
                .block(WAIT);
        String noticeId = "old-notice-" + UUID.randomUUID();
        mongo.insert(
                        new Document("_id", noticeId)
                                .append("commentId", "c-" + UUID.randomUUID())
                                .append("articleId", "old-article")
                                .append("reason", Report.ILLEGAL_CONTENT)
                                .append(
                                        "notice",
                                        new Document("explanation", "Names a neighbour.")
                                                .append("name", "Old Reader")
                                                .append("email", email))
                                .append("receivedAt", Date.from(recently)),
                        Report.COLLECTION)
                .block(WAIT);

        assertThat(upgrade.upgrade().block(WAIT)).isGreaterThanOrEqualTo(2);

        for (String id : List.of(recent, longAgo)) {
            Document upgraded = document("comments", id);
            assertThat(upgraded.getString("emailKey")).isEqualTo(keys.of(email));
            assertThat(upgraded).doesNotContainKeys("clientIp", "userAgent");
            assertThat(upgraded.get("author", Document.class))
                    .doesNotContainKey("email")
                    .containsEntry("name", "Old Reader");
        }
        CommentClient kept = clients.of(recent).block(WAIT);
        assertThat(kept).isEqualTo(new CommentClient(recent, email, "198.51.100.201", "Old/1.0", recently));
        // past the retention: nothing kept
        assertThat(clients.of(longAgo).blockOptional(WAIT)).isEmpty();
        assertThat(document(RecentFingerprints.COLLECTION, recent).getString("emailKey"))
                .isEqualTo(keys.of(email));
        assertThat(mongo.exists(Query.query(Criteria.where("_id").is("email:" + lower)), FloodCounters.COLLECTION)
                        .block(WAIT))
                .isFalse();
        // an old notice is found by the key of its notifier's address, as an export or erasure looks for it
        assertThat(document(Report.COLLECTION, noticeId).get("notice", Document.class))
                .containsEntry("emailKey", keys.of(email));
        // the author's history keeps matching, the moderator sees the address again
        assertThat(authorHistory.of(email)).isEqualTo(new AuthorHistory.Record(2, 0));
        assertThat(as(Tokens.moderator("mia"))
                        .get()
                        .uri("/api/moderation/comments/{id}", recent)
                        .exchange()
                        .expectStatus()
                        .isOk()
                        .expectBody(JsonNode.class)
                        .returnResult()
                        .getResponseBody()
                        .get("author")
                        .get("email")
                        .asString())
                .isEqualTo(email);
        // once is enough
        assertThat(upgrade.upgrade().block(WAIT)).isZero();
    }

    @Test
    void anErasureBeforeTheUpgradeReachedAnOldCommentErasesItToo() {
        String email = "Older-" + UUID.randomUUID() + "@example.org";
        String id = insertOldComment(email, "198.51.100.203", Instant.now().minus(Duration.ofDays(1)));

        assertThat(personalData.erase(email).block(WAIT).comments()).isEqualTo(1);

        Document erased = document("comments", id);
        assertThat(erased).doesNotContainKeys("clientIp", "userAgent", "emailKey");
        assertThat(erased.toJson()).doesNotContain(email).doesNotContain("198.51.100.203");
        assertThat(moderatedEvents(id, 1).get(0).comment().authorName()).isEqualTo("[deleted]");
    }

    @Test
    void anUpgradeThatReadAnOldCommentBeforeItWasErasedLeavesItErased() {
        String email = "Racing-" + UUID.randomUUID() + "@example.org";
        String id = insertOldComment(email, "198.51.100.204", Instant.now().minus(Duration.ofDays(1)));
        Document read = document("comments", id);
        personalData.erase(email).block(WAIT);

        upgrade.upgrade(read).block(WAIT);

        assertThat(document("comments", id)).doesNotContainKey("emailKey");
        assertThat(clients.of(id).blockOptional(WAIT)).isEmpty();
    }

    @Test
    void aReportKeepsItsReadersIpAddressForTheRetentionOnly() {
        String old = report(Instant.now().minus(RETENTION).minus(Duration.ofDays(1)));
        String recent = report(Instant.now().minus(Duration.ofDays(1)));

        assertThat(reporterIps
                        .removeReceivedBefore(Instant.now().minus(RETENTION))
                        .block(WAIT))
                .isGreaterThanOrEqualTo(1);

        Report forgotten = mongo.findById(old, Report.class).block(WAIT);
        assertThat(forgotten).isNotNull();
        assertThat(forgotten.clientIp()).isNull();
        assertThat(forgotten.reason()).isEqualTo("ABUSE");
        assertThat(mongo.findById(recent, Report.class).block(WAIT).clientIp()).isEqualTo("198.51.100.9");
    }

    /** A comment document as versions before comment_clients wrote it. */
    private String insertOldComment(String email, String ip, Instant submittedAt) {
        String id = "c-" + UUID.randomUUID();
        Date at = Date.from(submittedAt);
        Document decision = new Document("revision", 1)
                .append("outcome", "APPROVED")
                .append("human", false)
                .append("reasons", List.of(new Document("ruleId", "pipeline.passed").append("message", "ok")))
                .append("rulesVersion", "old")
                .append("decidedAt", at)
                .append("eventId", UUID.randomUUID().toString());
        mongo.insert(
                        new Document("_id", id)
                                .append("articleId", "old-article")
                                .append(
                                        "author",
                                        new Document("name", "Old Reader")
                                                .append("email", email)
                                                .append("notifyReplies", false)
                                                .append("notifyPublished", false))
                                .append("text", "Written before the upgrade.")
                                .append("clientIp", ip)
                                .append("userAgent", "Old/1.0")
                                .append("submittedAt", at)
                                .append("submittedEventId", UUID.randomUUID().toString())
                                .append("decision", decision)
                                .append("history", List.of(decision))
                                .append("emailKey", email.toLowerCase(java.util.Locale.ROOT)),
                        "comments")
                .block(WAIT);
        return id;
    }

    private String report(Instant receivedAt) {
        String id = UUID.randomUUID().toString();
        mongo.insert(new Report(
                        id,
                        "c-" + UUID.randomUUID(),
                        "reported-article",
                        "ABUSE",
                        null,
                        null,
                        "198.51.100.9",
                        receivedAt.truncatedTo(ChronoUnit.MILLIS),
                        null,
                        null))
                .block(WAIT);
        return id;
    }

    private JsonNode decide(String id, String action) {
        return as(Tokens.moderator("mia"))
                .post()
                .uri("/api/moderation/comments/{id}/decision", id)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("action", action))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody();
    }

    private JsonNode ban(String type, String value) {
        JsonNode created = as(Tokens.admin("root"))
                .post()
                .uri("/api/moderation/bans")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("type", type, "value", value, "reason", "test", "rejectExisting", true))
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody();
        // the other tests of this context must not meet it
        as(Tokens.admin("root"))
                .delete()
                .uri("/api/moderation/bans/{id}", created.get("ban").get("id").asString())
                .exchange()
                .expectStatus()
                .isNoContent();
        return created;
    }

    private Optional<Duration> ttl(String collection, String index) {
        return mongo.indexOps(collection)
                .getIndexInfo()
                .filter(info -> info.getName().equals(index))
                .map(IndexInfo::getExpireAfter)
                .blockFirst(WAIT);
    }

    private Document document(String collection, String id) {
        return mongo.findById(id, Document.class, collection).block(WAIT);
    }

    private static org.assertj.core.data.TemporalUnitOffset within(Duration duration) {
        return org.assertj.core.api.Assertions.within(duration.toMillis(), ChronoUnit.MILLIS);
    }
}
