package dev.talkback.moderation.comments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.talkback.engine.Decision;
import dev.talkback.engine.Reason;
import dev.talkback.engine.Verdict;
import dev.talkback.events.CommentModerated;
import dev.talkback.events.CommentSubmitted;
import dev.talkback.events.EventTypes;
import dev.talkback.events.Topics;
import dev.talkback.moderation.EmbeddedServiceTests;
import dev.talkback.moderation.ModerationProperties;
import dev.talkback.support.privacy.AddressKeys;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.mapping.event.ReactiveBeforeSaveCallback;
import reactor.core.publisher.Mono;

/**
 * The submissions of one poll decided together ({@link AutomaticModeration#moderate(java.util.List)} and the batch
 * listener), on the embedded broker and store: stored decisions re-published and not decided again, a comment another
 * instance stores in the moment between the look-up and the insert, a poison record in the middle of a poll, a
 * redelivered poll, and floods and copies within one poll.
 */
class BatchModerationTests extends EmbeddedServiceTests {

    /**
     * Comments that "another instance" stores, with its own decision, just before this instance's bulk insert writes
     * them (after the look-up found nothing): the race that the insert's duplicate key settles.
     */
    static final Map<String, ModeratedComment> RACING = new ConcurrentHashMap<>();

    @TestConfiguration
    static class AnotherInstance {

        @Bean
        ReactiveBeforeSaveCallback<ModeratedComment> anotherInstanceInsertsFirst(
                ObjectProvider<ReactiveMongoTemplate> mongo) {
            // the template is asked for when a comment is saved: it finds its callbacks (this one) when it is created
            return (comment, document, collection) -> {
                ModeratedComment theirs = RACING.remove(comment.id());
                return theirs == null
                        ? Mono.just(comment)
                        : mongo.getObject().insert(theirs).thenReturn(comment);
            };
        }
    }

    @Autowired
    AutomaticModeration moderation;

    @Autowired
    ModeratedComments comments;

    @Autowired
    AddressKeys keys;

    @Test
    void aStoredCommentInAPollIsRepublishedUnchangedAndTheOthersAreDecided() {
        String article = TestComments.article();
        var earlier = submission(article, "The ferry timetable changed again without notice this spring.");
        var stored = moderation.insertOrLoad(heldByAnEarlierRule(earlier));
        var fresh = submission(article, "The library opening hours are fine as they are, thank you.");

        var events = moderation.moderate(List.of(earlier, fresh));

        // the stored decision, not a new one: the engine would approve the text now
        assertThat(events.get(0))
                .isEqualTo(stored.currentDecisionEvent(earlier.author().email()));
        assertThat(events.get(0).outcome()).isEqualTo(CommentModerated.Outcome.HELD);
        assertThat(events.get(0).eventId().toString())
                .isEqualTo(stored.decision().eventId());
        assertThat(stored(earlier).history()).hasSize(1);
        assertThat(stored(earlier).decision().reasons())
                .extracting(ModerationDecision.Reason::ruleId)
                .containsExactly("test.earlier-rule");
        assertThat(events.get(1).outcome()).isEqualTo(CommentModerated.Outcome.APPROVED);
        assertThat(stored(fresh).decision().eventId())
                .isEqualTo(events.get(1).eventId().toString());
        assertThat(allEvents(Topics.COMMENTS_MODERATED, earlier.commentId(), CommentModerated.class))
                .containsExactly(events.get(0));
    }

    @Test
    void aCommentAnotherInstanceStoresBeforeTheInsertKeepsThatDecisionAndTheOthersAreStored() {
        String article = TestComments.article();
        var raced = submission(article, "Parking on the high street should be free on Saturdays.");
        var before = submission(article, "The new cycle lane on the bridge is a real improvement.");
        var after = submission(article, "Please keep the swimming pool open during the holidays.");
        var theirs = heldByAnEarlierRule(raced);
        RACING.put(raced.commentId(), theirs);

        var events = moderation.moderate(List.of(before, raced, after));

        assertThat(RACING).doesNotContainKey(raced.commentId());
        assertThat(events.get(1))
                .isEqualTo(theirs.currentDecisionEvent(raced.author().email()));
        assertThat(stored(raced).decision().eventId())
                .isEqualTo(theirs.decision().eventId());
        assertThat(stored(raced).history()).hasSize(1);
        for (int i : new int[] {0, 2}) {
            assertThat(events.get(i).outcome()).isEqualTo(CommentModerated.Outcome.APPROVED);
            var submitted = i == 0 ? before : after;
            assertThat(stored(submitted).decision().eventId())
                    .isEqualTo(events.get(i).eventId().toString());
        }
        assertThat(allEvents(Topics.COMMENTS_MODERATED, raced.commentId(), CommentModerated.class))
                .containsExactly(events.get(1));
    }

    @Test
    void aRedeliveredPollPublishesTheSameEventsAndDecidesNothingAgain() {
        String article = TestComments.article();
        var poll = List.of(
                submission(article, "The market square needs more benches and some shade."),
                submission(article, "Why was the consultation on the school closed so early?"),
                submission(article, "Casino night at the town hall, everyone is welcome."));

        var first = moderation.moderate(poll);
        var again = moderation.moderate(poll);

        assertThat(again).isEqualTo(first);
        assertThat(first)
                .extracting(CommentModerated::outcome)
                .containsExactly(
                        CommentModerated.Outcome.APPROVED,
                        CommentModerated.Outcome.APPROVED,
                        CommentModerated.Outcome.REJECTED);
        for (int i = 0; i < poll.size(); i++) {
            assertThat(stored(poll.get(i)).history()).hasSize(1);
            assertThat(allEvents(Topics.COMMENTS_MODERATED, poll.get(i).commentId(), CommentModerated.class))
                    .containsExactly(first.get(i), first.get(i));
        }
    }

    @Test
    void aCommentSentTwiceInOnePollIsDecidedOnce() {
        var submitted = submission(TestComments.article(), "The harbour wall needs repair before the winter storms.");

        var events = moderation.moderate(List.of(submitted, submitted));

        assertThat(events.get(1)).isEqualTo(events.get(0));
        assertThat(stored(submitted).decision().eventId())
                .isEqualTo(events.get(0).eventId().toString());
    }

    @Test
    void floodsAndCopiesWithinOnePollCountAsIfEachWasStoredBeforeTheNext() {
        String article = TestComments.article();
        String email = TestComments.author();
        List<CommentSubmitted> poll = new ArrayList<>();
        // the site's limit is 5 per author in the window: the sixth and seventh are held
        for (int i = 0; i < 7; i++) {
            poll.add(TestComments.submitted(article, email, distinctText(), null));
        }
        String copied = distinctText();
        String other = TestComments.author();
        poll.add(TestComments.submitted(article, other, copied, null));
        poll.add(TestComments.submitted(article, other, copied, null));

        var events = moderation.moderate(poll);

        assertThat(events.subList(0, 5))
                .extracting(CommentModerated::outcome)
                .containsOnly(CommentModerated.Outcome.APPROVED);
        assertThat(events.subList(5, 7))
                .extracting(CommentModerated::outcome)
                .containsOnly(CommentModerated.Outcome.HELD);
        assertThat(stored(poll.get(6)).decision().reasons())
                .extracting(ModerationDecision.Reason::ruleId)
                .contains("flood.email");
        assertThat(events.get(7).outcome()).isEqualTo(CommentModerated.Outcome.APPROVED);
        assertThat(events.get(8).outcome()).isEqualTo(CommentModerated.Outcome.REJECTED);
        assertThat(stored(poll.get(8)).decision().reasons())
                .extracting(ModerationDecision.Reason::ruleId)
                .contains("duplicate.same-author");
    }

    @Test
    void rejectionsEarlierInOnePollCountInTheAuthorsHistory() {
        String article = TestComments.article();
        String email = TestComments.author();
        List<CommentSubmitted> poll = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            poll.add(TestComments.submitted(article, email, "casino " + distinctText(), null));
        }
        poll.add(TestComments.submitted(article, email, distinctText(), null));

        var events = moderation.moderate(poll);

        assertThat(events.subList(0, 3))
                .extracting(CommentModerated::outcome)
                .containsOnly(CommentModerated.Outcome.REJECTED);
        // three rejected and none approved: held, as when each was stored before the next was decided
        assertThat(events.get(3).outcome()).isEqualTo(CommentModerated.Outcome.HELD);
        assertThat(stored(poll.get(3)).decision().reasons())
                .extracting(ModerationDecision.Reason::ruleId)
                .containsExactly("trust.poor-history");
    }

    @Test
    void aPoisonRecordInTheMiddleOfAPollGoesToTheDeadLettersAndTheOthersAreDecidedOnce() throws Exception {
        String article = TestComments.article();
        var before = List.of(
                submission(article, "The council meeting minutes should be online within a week."),
                submission(article, "Street lights on the river path would make it much safer."));
        var after = List.of(
                submission(article, "A second bus to the hospital in the morning would help a lot."),
                submission(article, "The allotments waiting list is far too long for new residents."));
        String poisonKey = "poison-" + UUID.randomUUID();
        byte[] poison = "{\"eventId\": not JSON at all".getBytes(StandardCharsets.UTF_8);

        // one partition, one producer batch: the listener's poll takes all five together
        try (var producer = lingeringProducer()) {
            List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
            before.forEach(submitted -> records.add(record(submitted)));
            records.add(new ProducerRecord<>(Topics.COMMENTS_SUBMITTED, 0, poisonKey, poison));
            after.forEach(submitted -> records.add(record(submitted)));
            records.forEach(producer::send);
            producer.flush();
        }

        var deadLetters = records(Topics.COMMENTS_SUBMITTED_DLT, poisonKey, 1);
        assertThat(deadLetters).extracting(ConsumerRecord::value).containsExactly(poison);
        List<CommentSubmitted> decided = new ArrayList<>(before);
        decided.addAll(after);
        for (var submitted : decided) {
            var event = moderatedEvents(submitted.commentId(), 1).get(0);
            assertThat(event.outcome()).isEqualTo(CommentModerated.Outcome.APPROVED);
            assertThat(stored(submitted).decision().eventId())
                    .isEqualTo(event.eventId().toString());
        }
        // nothing decided twice: one event per comment once the partition has moved past them all
        for (var submitted : decided) {
            assertThat(allEvents(Topics.COMMENTS_MODERATED, submitted.commentId(), CommentModerated.class))
                    .hasSize(1);
        }
    }

    /** A producer that holds records for half a second, so that what is sent together lands in one poll. */
    private KafkaProducer<String, byte[]> lingeringProducer() {
        return new KafkaProducer<>(
                Map.<String, Object>of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ProducerConfig.LINGER_MS_CONFIG,
                        500),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    private static ProducerRecord<String, byte[]> record(CommentSubmitted submitted) {
        var record = new ProducerRecord<>(
                Topics.COMMENTS_SUBMITTED, 0, submitted.commentId(), JSON.writeValueAsBytes(submitted));
        record.headers().add("__TypeId__", EventTypes.COMMENT_SUBMITTED.getBytes(StandardCharsets.UTF_8));
        return record;
    }

    @Test
    void eachDecisionContinuesTheTraceOfItsSubmission() throws Exception {
        String article = TestComments.article();
        var poll = List.of(
                submission(article, "The museum should open late on Thursdays for people who work."),
                submission(article, "More recycling bins near the station would keep it tidy."));
        List<String> traceIds = new ArrayList<>();
        try (var producer = lingeringProducer()) {
            for (var submitted : poll) {
                String traceId = UUID.randomUUID().toString().replace("-", "");
                traceIds.add(traceId);
                var record = record(submitted);
                record.headers()
                        .add(
                                "traceparent",
                                ("00-" + traceId + "-00f067aa0ba902b7-01").getBytes(StandardCharsets.UTF_8));
                producer.send(record);
            }
            producer.flush();
        }

        for (int i = 0; i < poll.size(); i++) {
            var moderated = records(Topics.COMMENTS_MODERATED, poll.get(i).commentId(), 1);
            var traceparent = moderated.get(0).headers().lastHeader("traceparent");
            assertThat(traceparent).isNotNull();
            assertThat(new String(traceparent.value(), StandardCharsets.UTF_8))
                    .startsWith("00-" + traceIds.get(i) + "-");
        }
    }

    private static CommentSubmitted submission(String article, String text) {
        return TestComments.submitted(article, TestComments.author(), text + " " + TestComments.marker(), null);
    }

    private static String distinctText() {
        return TestComments.marker() + " " + TestComments.marker() + " " + TestComments.marker() + " "
                + TestComments.marker() + " " + TestComments.marker();
    }

    /** The comment as another handling stored it: held by a rule the engine does not have. */
    private ModeratedComment heldByAnEarlierRule(CommentSubmitted submitted) {
        return ModeratedComment.decidedAutomatically(
                submitted,
                new Decision(
                        Verdict.HOLD, List.of(new Reason("test.earlier-rule", "held by an earlier rule")), null, "v"),
                Instant.now(),
                UUID.randomUUID(),
                new ModerationProperties.Statements("the site's comment rules", "Write to the editors."),
                keys.of(submitted.author().email()));
    }

    private ModeratedComment stored(CommentSubmitted submitted) {
        var stored = comments.findById(submitted.commentId()).block(WAIT);
        assertThat(stored).isNotNull();
        return stored;
    }
}
