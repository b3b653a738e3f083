package dev.talkback.comments.published;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.talkback.comments.CommentIds;
import dev.talkback.comments.EmbeddedBackendTest;
import dev.talkback.comments.KafkaTopics;
import dev.talkback.events.CommentModerated;
import dev.talkback.events.CommentModerated.Outcome;
import dev.talkback.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;
import reactor.core.publisher.Mono;

/**
 * The read model's listener applies a poll's decisions with one bulk write and keeps what one write per record
 * guaranteed: the newest revision of a comment wins whatever the order within and across polls, a repeated or older
 * decision changes nothing, and a poison record goes to the dead letters while the rest of its poll is applied. Polls
 * are handed to the listener directly (exactly that batch) on the real store, and once through the broker.
 */
@EmbeddedBackendTest
@ExtendWith(OutputCaptureExtension.class)
class ModeratedCommentsListenerTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    ModeratedCommentsListener listener;

    @Autowired
    PublishedComments readModel;

    @Autowired
    ArticlePageCache pages;

    @Autowired
    KafkaTemplate<String, Object> kafkaTemplate;

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    @Autowired
    KafkaProperties kafkaProperties;

    private final CommentIds ids = new CommentIds();
    private final AtomicLong offsets = new AtomicLong();

    @Test
    void twoRevisionsOfOneCommentInOnePollEndWithTheNewestWhateverTheirOrder() {
        String article = article();
        String inOrder = ids.next();
        String reversed = ids.next();

        listener.on(List.of(
                record(decision(inOrder, article, 1, Outcome.APPROVED)),
                record(decision(reversed, article, 2, Outcome.REJECTED)),
                record(decision(inOrder, article, 2, Outcome.REJECTED)),
                record(decision(reversed, article, 1, Outcome.APPROVED))));

        assertThat(stored(inOrder).revision()).isEqualTo(2);
        assertThat(stored(inOrder).status()).isEqualTo(CommentStatus.REJECTED);
        assertThat(stored(reversed).revision()).isEqualTo(2);
        assertThat(stored(reversed).status()).isEqualTo(CommentStatus.REJECTED);
    }

    @Test
    void aStaleOrRepeatedRevisionInALaterPollChangesNothing() {
        String article = article();
        String id = ids.next();
        listener.on(List.of(record(decision(id, article, 2, Outcome.REJECTED))));
        CommentDocument decided = stored(id);

        listener.on(List.of(
                record(decision(id, article, 1, Outcome.APPROVED)),
                record(decision(id, article, 2, Outcome.APPROVED))));

        CommentDocument after = stored(id);
        assertThat(after.status()).isEqualTo(CommentStatus.REJECTED);
        assertThat(after.revision()).isEqualTo(2);
        assertThat(after.changedAt()).isEqualTo(decided.changedAt());
    }

    @Test
    void aPollEvictsTheCachedPagesOfTheArticlesItChangedAndNoOthers() {
        String changed = article();
        String untouched = article();
        String stale = article();
        String id = ids.next();
        listener.on(List.of(record(decision(id, stale, 1, Outcome.APPROVED))));
        CommentPage cached = new CommentPage(List.of(), null, 0);
        for (String article : List.of(changed, untouched, stale)) {
            pages.get(new ArticlePageCache.Key(article, 20, null, null), () -> Mono.just(cached))
                    .block();
        }

        listener.on(List.of(
                record(decision(ids.next(), changed, 1, Outcome.APPROVED)),
                record(decision(ids.next(), changed, 1, Outcome.HELD)),
                record(decision(id, stale, 1, Outcome.REJECTED))));

        assertThat(isCached(changed)).isFalse();
        assertThat(isCached(untouched)).isTrue();
        assertThat(isCached(stale)).as("a stale decision changes no page").isTrue();
    }

    @Test
    void eachDecisionIsLoggedWithItsCommentIdAndTheTraceOfItsRecord(CapturedOutput output) {
        String article = article();
        String id = ids.next();
        String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        var traced = record(decision(id, article, 1, Outcome.APPROVED));
        traced.headers()
                .add("traceparent", ("00-" + trace + "-00f067aa0ba902b7-01").getBytes(StandardCharsets.US_ASCII));
        var forged = record(decision(id, article, 1, Outcome.APPROVED));
        forged.headers().add("traceparent", "00-not a trace\nid-00f067aa0ba902b7-01".getBytes(StandardCharsets.UTF_8));

        listener.on(List.of(traced, forged));

        assertThat(output.getOut().lines().filter(line -> line.contains(id)))
                .anySatisfy(line -> assertThat(line)
                        .contains("[comment-service," + trace + ",," + id + "] ")
                        .contains("is now PUBLISHED (revision 1)"))
                .anySatisfy(line -> assertThat(line)
                        .contains("[comment-service,,," + id + "] ")
                        .contains("ignored stale or repeated decision (revision 1)"))
                .noneMatch(line -> line.contains("not a trace"));
    }

    @Test
    void aPoisonRecordIsNamedToTheErrorHandlerOnceTheRestOfItsPollIsApplied() {
        String article = article();
        String before = ids.next();
        String after = ids.next();
        ConsumerRecord<String, @Nullable CommentModerated> poison = unreadable(ids.next());

        var failure = catchThrowableOfType(
                BatchListenerFailedException.class,
                () -> listener.on(List.of(
                        record(decision(before, article, 1, Outcome.APPROVED)),
                        poison,
                        record(decision(after, article, 1, Outcome.APPROVED)))));

        assertThat(failure.getRecord()).isSameAs(poison);
        assertThat(failure).hasCauseInstanceOf(DeserializationException.class);
        assertThat(stored(before).status()).isEqualTo(CommentStatus.PUBLISHED);
        assertThat(stored(after).status()).isEqualTo(CommentStatus.PUBLISHED);

        // delivered again from the poison on (the error handler's seek), the rest is stale and changes nothing
        var again = catchThrowableOfType(
                BatchListenerFailedException.class,
                () -> listener.on(List.of(poison, record(decision(after, article, 1, Outcome.APPROVED)))));
        assertThat(again.getRecord()).isSameAs(poison);
        assertThat(stored(after).revision()).isEqualTo(1);
    }

    @Test
    void aPoisonRecordInAPollGoesToTheDeadLettersAndTheOthersAreApplied() throws Exception {
        String article = article();
        String first = ids.next();
        String last = ids.next();
        byte[] poison = ("{not json at all " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        var topics = new KafkaTopics(String.join(",", kafkaProperties.getBootstrapServers()));
        MessageListenerContainer container = listeners.getListenerContainer("comment-service-read-model");

        // while the listener is stopped the records gather, and the next poll brings them together
        container.stop();
        try {
            var sent = kafkaTemplate
                    .send(Topics.COMMENTS_MODERATED, first, decision(first, article, 1, Outcome.APPROVED))
                    .join()
                    .getRecordMetadata();
            // the first record's key: the same partition
            topics.sendRaw(Topics.COMMENTS_MODERATED, first, poison);
            var lastSent = kafkaTemplate
                    .send(
                            Topics.COMMENTS_MODERATED,
                            sent.partition(),
                            last,
                            decision(last, article, 1, Outcome.APPROVED))
                    .join()
                    .getRecordMetadata();
            assertThat(lastSent.offset()).isEqualTo(sent.offset() + 2);
        } finally {
            container.start();
        }

        // the live consumers read the topic too (and dead-letter what they cannot read): the read model's group only
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(readModelDeadLetters(topics)).anySatisfy(r -> {
                    assertThat(r.key()).isEqualTo(first);
                    assertThat(r.value()).isEqualTo(poison);
                }));
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(readModel.isPublished(article, first).block()).isTrue();
            assertThat(readModel.isPublished(article, last).block()).isTrue();
        });
        assertThat(readModelDeadLetters(topics))
                .noneMatch(r -> last.equals(r.key()))
                .filteredOn(r -> first.equals(r.key()))
                .hasSize(1);
    }

    private static List<ConsumerRecord<String, byte[]>> readModelDeadLetters(KafkaTopics topics) {
        return topics.records(Topics.COMMENTS_MODERATED_DLT).stream()
                .filter(r -> {
                    Header group = r.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_CONSUMER_GROUP);
                    return group != null && "comment-service".equals(new String(group.value(), StandardCharsets.UTF_8));
                })
                .toList();
    }

    private boolean isCached(String article) {
        return pages.get(
                        new ArticlePageCache.Key(article, 20, null, null),
                        () -> Mono.just(new CommentPage(new ArrayList<>(), "built again", 0)))
                .map(page -> page.next() == null)
                .block();
    }

    private CommentDocument stored(String id) {
        return readModel.findById(id).block(WAIT);
    }

    private ConsumerRecord<String, @Nullable CommentModerated> record(CommentModerated event) {
        return new ConsumerRecord<>(Topics.COMMENTS_MODERATED, 0, offsets.getAndIncrement(), event.commentId(), event);
    }

    /** What the error-handling deserialiser hands a batch listener for bytes that are no event. */
    private ConsumerRecord<String, @Nullable CommentModerated> unreadable(String id) {
        byte[] bytes = "{not json".getBytes(StandardCharsets.UTF_8);
        var headers = new RecordHeaders();
        SerializationUtils.deserializationException(
                headers,
                bytes,
                new DeserializationException("not an event", bytes, false, new IllegalStateException("bad JSON")),
                false);
        return new ConsumerRecord<>(
                Topics.COMMENTS_MODERATED,
                0,
                offsets.getAndIncrement(),
                ConsumerRecord.NO_TIMESTAMP,
                TimestampType.NO_TIMESTAMP_TYPE,
                ConsumerRecord.NULL_SIZE,
                ConsumerRecord.NULL_SIZE,
                id,
                null,
                headers,
                Optional.empty());
    }

    private static CommentModerated decision(String id, String article, int revision, Outcome outcome) {
        Instant at = Instant.now();
        return new CommentModerated(
                UUID.randomUUID(),
                at,
                id,
                article,
                revision,
                outcome,
                revision > 1,
                List.of(),
                null,
                new CommentModerated.PublicComment(null, "Author of " + id, null, "Text of " + id, at.minusSeconds(1)),
                null);
    }

    private static String article() {
        return "batch-" + UUID.randomUUID();
    }
}
