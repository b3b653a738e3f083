package dev.talkback.support.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;
import reactor.core.publisher.Mono;

/**
 * Which failures of the listeners are outages (retried without limit, the partition waits) and which are
 * poison (bounded back-off, then the dead-letter topic), on exceptions raised by the real driver and Reactor.
 */
class OutagesTests {

    private static final ConsumerRecord<String, String> RECORD =
            new ConsumerRecord<>("comments.submitted.v1", 0, 7L, "comment-1", "{}");

    @Test
    void aTimedOutBlockingWaitIsAnOutage() {
        Throwable timedOut = catchThrowable(() -> Mono.never().block(Duration.ofMillis(20)));

        assertThat(Outages.isOutage(inListener(timedOut))).isTrue();
    }

    @Test
    void anUnreachableMongoDbIsAnOutage() {
        // nothing listens on port 1: the driver gives up server selection after 300 ms
        try (MongoClient client =
                MongoClients.create("mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=300&connectTimeoutMS=200")) {
            var template = new ReactiveMongoTemplate(client, "moderation");
            Throwable unreachable = catchThrowable(
                    () -> template.findById("x", Document.class, "comments").block(Duration.ofSeconds(10)));

            assertThat(unreachable).isNotNull();
            assertThat(Outages.isOutage(inListener(unreachable)))
                    .as("%s", unreachable)
                    .isTrue();
        }
    }

    @Test
    void aKafkaSendTimeoutIsAnOutage() {
        var sendTimedOut = new KafkaException(
                "Send failed",
                new ExecutionException(new org.apache.kafka.common.errors.TimeoutException("Expiring 1 record(s)")));

        assertThat(Outages.isOutage(inListener(sendTimedOut))).isTrue();
    }

    @Test
    void poisonIsNotAnOutage() {
        assertThat(Outages.isOutage(inListener(new IllegalArgumentException("no articleId"))))
                .isFalse();
        assertThat(Outages.isOutage(inListener(new NullPointerException()))).isFalse();
        assertThat(Outages.isOutage(inListener(new DuplicateKeyException("E11000"))))
                .isFalse();
        assertThat(Outages.isOutage(
                        new DeserializationException("bad JSON", new byte[] {1}, false, new IllegalStateException())))
                .isFalse();
        assertThat(Outages.isOutage(inListener(new KafkaException("Record too large"))))
                .isFalse();
    }

    @Test
    void anOutageIsRetriedWithoutLimitAtTheCappedInterval() {
        var function = Outages.backOffFunction(Duration.ofMillis(500), 2.0, Duration.ofSeconds(4));
        Throwable timedOut = catchThrowable(() -> Mono.never().block(Duration.ofMillis(5)));

        BackOff outage = function.apply(RECORD, inListener(timedOut));
        assertThat(outage).isNotNull();
        BackOffExecution execution = outage.start();
        for (int attempt = 0; attempt < 10_000; attempt++) {
            assertThat(execution.nextBackOff()).isBetween(1L, 4_000L);
        }
    }

    @Test
    void poisonKeepsTheBoundedBackOff() {
        var function = Outages.backOffFunction(Duration.ofMillis(500), 2.0, Duration.ofSeconds(4));

        assertThat(function.apply(RECORD, inListener(new IllegalArgumentException("bad"))))
                .isNull();
    }

    private static ListenerExecutionFailedException inListener(Throwable cause) {
        return new ListenerExecutionFailedException("Listener method threw", cause);
    }
}
