package dev.talkback.moderation.comments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.talkback.events.CommentAppealed;
import dev.talkback.events.CommentModerated;
import dev.talkback.events.CommentReported;
import dev.talkback.events.CommentSubmitted;
import dev.talkback.events.PrivacyErasure;
import dev.talkback.events.PrivacyExportPart;
import dev.talkback.events.PrivacyExportRequested;
import dev.talkback.events.Topics;
import dev.talkback.moderation.EmbeddedServiceTests;
import dev.talkback.moderation.ModerationProperties;
import dev.talkback.moderation.Tokens;
import dev.talkback.moderation.audit.AuditEntry;
import dev.talkback.moderation.privacy.PersonalData;
import dev.talkback.moderation.rules.ActiveRules;
import dev.talkback.support.privacy.AddressKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.JsonNode;

/**
 * A person's requests about their address, as notification-service sends them on the embedded broker: the erasure of
 * their comments (published as a "[deleted]" revision, nothing of the address left in any collection, a repeated
 * erasure changing nothing) and notices, and the export of everything held, in parts.
 */
class PersonalDataTests extends EmbeddedServiceTests {

    @Autowired
    AutomaticModeration automatic;

    @Autowired
    CommentReports reports;

    @Autowired
    CommentAppeals appeals;

    @Autowired
    CommentPersonalData personalData;

    @Autowired
    AddressKeys keys;

    @Autowired
    ActiveRules rules;

    @Autowired
    ReactiveMongoTemplate mongo;

    private KafkaTemplate<String, Object> requests;

    @BeforeEach
    void createProducer() {
        requests = TestComments.producer(bootstrapServers);
    }

    @AfterEach
    void closeProducer() {
        requests.destroy();
    }

    @Test
    void anErasurePublishesAnAuthorlessRevisionAndLeavesNothingOfTheAddressInAnyCollection() {
        Person zoe = new Person();
        String article = TestComments.article();
        var parent = automatic.moderate(TestComments.submitted(
                article, TestComments.author(), "The ferry timetable changes in May. " + TestComments.marker(), null));
        var published = automatic.moderate(zoe.reply(article, parent.commentId(), "A fair point about the ferry."));
        var held = automatic.moderate(
                zoe.comment(article, "More at https://a.example/1 https://b.example/2 https://c.example/3"));
        assertThat(published.outcome()).isEqualTo(CommentModerated.Outcome.APPROVED);
        assertThat(held.outcome()).isEqualTo(CommentModerated.Outcome.HELD);
        // a moderator's label (the text would teach the models), and another reader's notice: the reported queue
        decide(published.commentId(), "HAM");
        new Person().notice(published, "Names a neighbour.");
        assertThat(ids(queue("REPORTED", article))).containsExactly(published.commentId());
        // rejected for a word of Zoe's own (the decision's message quotes it), and appealed in her words
        String other = TestComments.article();
        putArticleSettings(other, Map.of("bannedWords", List.of(zoe.marker)));
        var rejected = automatic.moderate(zoe.comment(other, "Words matter."));
        putArticleSettings(other, Map.of());
        assertThat(rejected.reasons())
                .extracting(CommentModerated.Reason::ruleId)
                .containsExactly("words.banned");
        assertThat(appeals.receive(new CommentAppealed(
                                UUID.randomUUID(),
                                Instant.now(),
                                rejected.commentId(),
                                other,
                                1,
                                "Please look again, " + zoe.name + " here."))
                        .block(WAIT))
                .isTrue();
        // the same person files a notice (in another spelling of the address) on another reader's comment
        String explanation = "It names a private person. " + TestComments.marker();
        String reportId = zoe.notice(parent, explanation);
        String otherText = stored(parent.commentId()).text();
        Instant from = Instant.now().minus(Duration.ofHours(1));
        Instant to = Instant.now().plus(Duration.ofHours(1));
        JsonNode counted = transparency(from, to);

        UUID erasureId = erase(zoe.email.toUpperCase(Locale.ROOT));

        // the published comment keeps its place in the thread: the next revision, authorless and without text
        var erased = moderatedEvents(published.commentId(), 3).get(2);
        assertThat(erased.revision()).isEqualTo(3);
        assertThat(erased.outcome()).isEqualTo(CommentModerated.Outcome.APPROVED);
        assertThat(erased.human()).isFalse();
        assertThat(erased.reasons())
                .containsExactly(new CommentModerated.Reason("privacy.erased", "Erased at its author's request."));
        assertThat(erased.comment())
                .isEqualTo(new CommentModerated.PublicComment(
                        parent.commentId(),
                        "[deleted]",
                        null,
                        "",
                        published.comment().submittedAt()));
        assertThat(erased.contact()).isNull();
        assertThat(erased.statement()).isNull();
        assertThat(erased.publicReason()).isNull();
        // the held one is rejected and leaves the queue, the rejected one stays rejected
        assertThat(moderatedEvents(held.commentId(), 2).get(1).outcome()).isEqualTo(CommentModerated.Outcome.REJECTED);
        assertThat(moderatedEvents(rejected.commentId(), 2).get(1).outcome())
                .isEqualTo(CommentModerated.Outcome.REJECTED);
        awaitAudited(erasureId);
        assertThat(queue("HELD", article)).isEmpty();
        // Zoe's own notice still stands against the other reader's comment
        assertThat(ids(queue("REPORTED", article))).containsExactly(parent.commentId());
        assertThat(queue("APPEALED", other)).isEmpty();

        var kept = stored(published.commentId());
        assertThat(kept.parentId()).isEqualTo(parent.commentId());
        assertThat(kept.submittedAt()).isEqualTo(published.comment().submittedAt());
        assertThat(kept.history())
                .extracting(decision -> decision.reasons().get(0).ruleId())
                .containsExactly("pipeline.passed", "human.ham", "privacy.erased");
        assertThat(kept.label()).isNull();
        assertThat(stored(rejected.commentId()).appeal().outcome()).isEqualTo("ERASED");
        // an erasure is no moderation decision, and closes no appeal for the transparency report
        assertThat(transparency(from, to)).isEqualTo(counted);
        // the notice stays for the moderators, without who filed it
        Report notice = mongo.findById(reportId, Report.class).block(WAIT);
        assertThat(notice.notice()).isEqualTo(new Report.Notice(explanation, null, null, null));
        assertThat(notice.clientIp()).isNull();
        // another reader's comment is untouched
        assertThat(stored(parent.commentId()).text()).isEqualTo(otherText);
        // and nothing of the address is left anywhere
        assertThat(mentions(zoe.email, keys.of(zoe.email), zoe.ip, zoe.name, zoe.website, zoe.marker))
                .isEmpty();
    }

    @Test
    void aRepeatedErasureFindsNothingAndPublishesNothing() {
        Person yan = new Person();
        var comment = automatic.moderate(yan.comment(TestComments.article(), "The library should open on Sundays."));
        send(Topics.PRIVACY_ERASURE, yan.erasureId, yan.erasure);
        moderatedEvents(comment.commentId(), 2);

        // redelivered: the same event again, handled by the listener
        RecordMetadata again = send(Topics.PRIVACY_ERASURE, yan.erasureId, yan.erasure);
        awaitConsumed(again);

        assertThat(personalData.erase(yan.email).block(WAIT)).isEqualTo(new PersonalData.Erased(0, 0));
        assertThat(allEvents(Topics.COMMENTS_MODERATED, comment.commentId(), CommentModerated.class))
                .extracting(CommentModerated::revision)
                .containsExactly(1, 2);
    }

    @Test
    void removingRejectsEvenAPublishedCommentAndTheTransparencyReportCountsNoDecision() {
        Person xia = new Person();
        Instant from = Instant.now().minusSeconds(60);
        Instant to = Instant.now().plus(Duration.ofHours(1));
        var comment = automatic.moderate(xia.comment(TestComments.article(), "Bus lanes on the high street work."));
        assertThat(comment.outcome()).isEqualTo(CommentModerated.Outcome.APPROVED);
        JsonNode before = transparency(from, to);

        var erased = personalData
                .erase(xia.email, ModerationProperties.ErasedComments.REMOVE)
                .block(WAIT);

        assertThat(erased).isEqualTo(new PersonalData.Erased(1, 0));
        var event = moderatedEvents(comment.commentId(), 2).get(1);
        assertThat(event.outcome()).isEqualTo(CommentModerated.Outcome.REJECTED);
        assertThat(event.comment().authorName()).isEqualTo("[deleted]");
        // an erasure is no moderation decision: no rejection, no reversal
        assertThat(transparency(from, to)).isEqualTo(before);
    }

    @Test
    void anExportAnswersWithTheCommentsAndTheNoticesOfTheAddress() {
        Person wim = new Person();
        String article = TestComments.article();
        var parent = automatic.moderate(TestComments.submitted(
                article, TestComments.author(), "Who maintains the old bridge? " + TestComments.marker(), null));
        var comment = automatic.moderate(wim.comment(article, "The bridge needs paint, not a new deck."));
        String explanation = "It gives a phone number. " + TestComments.marker();
        String reportId = wim.notice(parent, explanation);

        List<PrivacyExportPart> parts = export(wim.email.toUpperCase(Locale.ROOT));

        assertThat(parts).singleElement().satisfies(part -> {
            assertThat(part.part()).isZero();
            assertThat(part.last()).isTrue();
            assertThat(part.service()).isEqualTo("moderation-service");
        });
        JsonNode records = JSON.readTree(parts.get(0).records());
        assertThat(records.size()).isEqualTo(2);
        JsonNode written = records.get(0);
        assertThat(written.get("type").asString()).isEqualTo("comment");
        assertThat(written.get("commentId").asString()).isEqualTo(comment.commentId());
        assertThat(written.get("articleId").asString()).isEqualTo(article);
        assertThat(written.get("authorName").asString()).isEqualTo(wim.name);
        assertThat(written.get("website").asString()).isEqualTo(wim.website);
        assertThat(written.get("text").asString()).isEqualTo(comment.comment().text());
        assertThat(written.get("email").asString()).isEqualTo(wim.email);
        assertThat(written.get("clientIp").asString()).isEqualTo(wim.ip);
        assertThat(written.get("userAgent").asString()).isEqualTo("curl/8");
        assertThat(Instant.parse(written.get("submittedAt").asString()))
                .isEqualTo(comment.comment().submittedAt());
        JsonNode decision = written.get("decisions").get(0);
        assertThat(decision.get("outcome").asString()).isEqualTo("APPROVED");
        assertThat(decision.get("human").asBoolean()).isFalse();
        assertThat(decision.get("rules").get(0).asString()).isEqualTo("pipeline.passed");
        JsonNode notice = records.get(1);
        assertThat(notice.get("type").asString()).isEqualTo("notice");
        assertThat(notice.get("reportId").asString()).isEqualTo(reportId);
        assertThat(notice.get("commentId").asString()).isEqualTo(parent.commentId());
        assertThat(notice.get("reason").asString()).isEqualTo("ILLEGAL_CONTENT");
        assertThat(notice.get("explanation").asString()).isEqualTo(explanation);
        assertThat(notice.get("name").asString()).isEqualTo(wim.name);
        assertThat(notice.get("email").asString()).isEqualTo(wim.email.toLowerCase(Locale.ROOT));
        assertThat(notice.get("reportedAt").asString()).isNotBlank();
    }

    @Test
    void aLongExportComesInPartsOfAtMost256KiBAndARepeatedRequestGetsTheSameParts() {
        Person vic = new Person();
        String article = TestComments.article();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add(automatic.moderate(vic.comment(article, longText())).commentId());
        }
        var request = new PrivacyExportRequested(UUID.randomUUID(), Instant.now(), UUID.randomUUID(), vic.email);

        List<PrivacyExportPart> parts = export(request);

        assertThat(parts.size()).isGreaterThan(1);
        assertThat(parts).extracting(PrivacyExportPart::part).containsExactly(range(parts.size()));
        assertThat(parts).extracting(PrivacyExportPart::last).containsOnlyOnce(true);
        assertThat(parts.get(parts.size() - 1).last()).isTrue();
        List<String> exported = new ArrayList<>();
        for (var part : parts) {
            assertThat(part.records().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(256 * 1024);
            JSON.readTree(part.records())
                    .forEach(record -> exported.add(record.get("commentId").asString()));
        }
        assertThat(exported).containsExactlyInAnyOrderElementsOf(ids);

        // a redelivered request: the same parts again (notification-service keeps one of each)
        send(Topics.PRIVACY_EXPORTS, request.exportId(), request);
        var again = events(
                Topics.PRIVACY_EXPORT_PARTS, request.exportId().toString(), 2 * parts.size(), PrivacyExportPart.class);
        assertThat(again.subList(parts.size(), again.size()))
                .extracting(PrivacyExportPart::eventId)
                .containsExactlyElementsOf(
                        parts.stream().map(PrivacyExportPart::eventId).toList());
    }

    @Test
    void anAddressWithNothingHeldGetsOneEmptyLastPart() {
        List<PrivacyExportPart> parts = export(TestComments.author());

        assertThat(parts).singleElement().satisfies(part -> {
            assertThat(part.part()).isZero();
            assertThat(part.last()).isTrue();
            assertThat(part.records()).isEqualTo("[]");
        });
    }

    @Test
    void anExportGivesTheNewestCommentsUpToItsBound() {
        Person uma = new Person();
        String article = TestComments.article();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(automatic
                    .moderate(uma.comment(article, "Thought number " + i + " on the park."))
                    .commentId());
        }

        List<Object> records = personalData.export(uma.email, 3).collectList().block(WAIT);

        assertThat(records)
                .extracting(record -> ((CommentPersonalData.CommentRecord) record).commentId())
                .containsExactly(ids.get(4), ids.get(3), ids.get(2));
    }

    /** Someone with their own address, name, website, IP address and words. */
    private final class Person {

        final String marker = TestComments.marker();
        final String email = "Reader-" + UUID.randomUUID() + "@Example.org";
        final String name = "Reader " + marker;
        final String website = "https://" + marker + ".example";
        final String ip = "2001:db8::" + Integer.toHexString((int) (Math.random() * 0xffff));
        final UUID erasureId = UUID.randomUUID();
        final PrivacyErasure erasure = new PrivacyErasure(UUID.randomUUID(), Instant.now(), erasureId, email);

        CommentSubmitted comment(String article, String text) {
            return TestComments.submitted(article, name, email, website, text + " " + marker, ip);
        }

        CommentSubmitted reply(String article, String parentId, String text) {
            var comment = comment(article, text);
            return new CommentSubmitted(
                    comment.eventId(),
                    comment.occurredAt(),
                    comment.commentId(),
                    article,
                    parentId,
                    comment.author(),
                    comment.text(),
                    comment.clientIp(),
                    comment.userAgent());
        }

        /** Files a notice of illegal content on the comment, from another spelling of the address. */
        String notice(CommentModerated comment, String explanation) {
            String reportId = UUID.randomUUID().toString();
            reports.receive(new CommentReported(
                            UUID.randomUUID(),
                            Instant.now(),
                            reportId,
                            comment.commentId(),
                            comment.articleId(),
                            CommentReported.Reason.ILLEGAL_CONTENT,
                            null,
                            new CommentReported.Notice(explanation, name, email.toLowerCase(Locale.ROOT), true),
                            ip))
                    .block(WAIT);
            return reportId;
        }
    }

    private UUID erase(String email) {
        UUID erasureId = UUID.randomUUID();
        send(Topics.PRIVACY_ERASURE, erasureId, new PrivacyErasure(UUID.randomUUID(), Instant.now(), erasureId, email));
        return erasureId;
    }

    private List<PrivacyExportPart> export(String email) {
        return export(new PrivacyExportRequested(UUID.randomUUID(), Instant.now(), UUID.randomUUID(), email));
    }

    /** Sends the request and reads its parts up to the last one. */
    private List<PrivacyExportPart> export(PrivacyExportRequested request) {
        send(Topics.PRIVACY_EXPORTS, request.exportId(), request);
        List<PrivacyExportPart> parts = new ArrayList<>();
        await().atMost(WAIT).until(() -> {
            parts.clear();
            parts.addAll(
                    allEvents(Topics.PRIVACY_EXPORT_PARTS, request.exportId().toString(), PrivacyExportPart.class));
            return parts.stream().anyMatch(PrivacyExportPart::last);
        });
        parts.sort(Comparator.comparingInt(PrivacyExportPart::part));
        return parts;
    }

    private RecordMetadata send(String topic, UUID key, Object event) {
        return requests.send(topic, key.toString(), event).join().getRecordMetadata();
    }

    /** Waits until the service's consumer group has committed the record: the listener handled it. */
    private void awaitConsumed(RecordMetadata record) {
        await().atMost(WAIT).until(() -> TestComments.committed(bootstrapServers, record) > record.offset());
    }

    private void awaitAudited(UUID erasureId) {
        await().atMost(WAIT)
                .until(() -> mongo.exists(
                                Query.query(Criteria.where("target").is("erasure:" + erasureId)), AuditEntry.class)
                        .block(WAIT));
    }

    /** Every document of every collection of the service's database that mentions a value (in any case). */
    private List<String> mentions(String... values) {
        List<String> found = new ArrayList<>();
        for (String collection : mongo.getCollectionNames().collectList().block(WAIT)) {
            for (Document document :
                    mongo.findAll(Document.class, collection).collectList().block(WAIT)) {
                String json = document.toJson().toLowerCase(Locale.ROOT);
                for (String value : values) {
                    if (json.contains(value.toLowerCase(Locale.ROOT))) {
                        found.add(collection + " " + document.get("_id") + " holds " + value);
                    }
                }
            }
        }
        return found;
    }

    private void decide(String id, String action) {
        as(Tokens.moderator("mia"))
                .post()
                .uri("/api/moderation/comments/{id}/decision", id)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("action", action))
                .exchange()
                .expectStatus()
                .isOk();
    }

    private void putArticleSettings(String article, Map<String, Object> settings) {
        as(Tokens.admin("root"))
                .put()
                .uri("/api/moderation/articles/{id}/settings", article)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(settings)
                .exchange()
                .expectStatus()
                .isOk();
        rules.refresh().block(WAIT);
    }

    private List<JsonNode> queue(String status, String article) {
        JsonNode page = as(Tokens.moderator("mia"))
                .get()
                .uri(b -> b.path("/api/moderation/comments")
                        .queryParam("status", status)
                        .queryParam("articleId", article)
                        .build())
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody();
        List<JsonNode> items = new ArrayList<>();
        page.get("items").forEach(items::add);
        return items;
    }

    private static List<String> ids(List<JsonNode> items) {
        return items.stream().map(item -> item.get("id").asString()).toList();
    }

    private JsonNode transparency(Instant from, Instant to) {
        return as(Tokens.admin("root"))
                .get()
                .uri(b -> b.path("/api/moderation/transparency")
                        .queryParam("from", from.toString())
                        .queryParam("to", to.toString())
                        .build())
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody();
    }

    private ModeratedComment stored(String id) {
        return mongo.findById(id, ModeratedComment.class).block(WAIT);
    }

    /** About 9,000 characters of words no other comment has. */
    private static String longText() {
        StringBuilder text = new StringBuilder();
        while (text.length() < 9_000) {
            text.append(TestComments.marker()).append(' ');
        }
        return text.toString().strip();
    }

    private static Integer[] range(int size) {
        Integer[] numbers = new Integer[size];
        for (int i = 0; i < size; i++) {
            numbers[i] = i;
        }
        return numbers;
    }
}
