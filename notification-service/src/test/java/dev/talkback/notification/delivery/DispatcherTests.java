package dev.talkback.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.talkback.notification.TestProperties;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;

/**
 * The claim of the dispatcher against a real MongoDB wire protocol (mongo-java-server): several dispatchers (as on
 * several instances) polling the same outbox at once send each delivery exactly once, and a delivery left
 * {@code SENDING} by a dead instance is sent again once its lease has expired (the documented crash window).
 */
class DispatcherTests {

    private final MongoServer server = new MongoServer(new MemoryBackend());
    private final InetSocketAddress address = server.bind();
    private final MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + address.getPort());
    private final ReactiveMongoTemplate mongo = new ReactiveMongoTemplate(client, "notification");

    @AfterEach
    void close() {
        client.close();
        server.shutdownNow();
    }

    /** A sender that counts what it was asked to send. */
    static final class CountingSender implements DeliverySender {

        final Map<String, AtomicInteger> sent = new ConcurrentHashMap<>();

        @Override
        public Channel channel() {
            return Channel.WEBHOOK;
        }

        @Override
        public SendResult send(OutboxEntry entry) {
            sent.computeIfAbsent(entry.id(), id -> new AtomicInteger()).incrementAndGet();
            return SendResult.sent();
        }
    }

    @Test
    void concurrentDispatchersSendEachDeliveryOnce() throws Exception {
        Outbox outbox = new Outbox(mongo, Duration.ofSeconds(10), java.time.Clock.systemUTC());
        for (int i = 0; i < 300; i++) {
            outbox.recordWebhook(
                    DeliveryKey.of("comment.held", "c" + i + ":1", Channel.WEBHOOK, "http://h/"),
                    UUID.randomUUID(),
                    new WebhookPayload("http://h/", "t", "{}"));
        }
        CountingSender sender = new CountingSender();
        var properties = TestProperties.with();
        List<Dispatcher> dispatchers = List.of(
                new Dispatcher(mongo, List.of(sender), properties),
                new Dispatcher(mongo, List.of(sender), properties),
                new Dispatcher(mongo, List.of(sender), properties),
                new Dispatcher(mongo, List.of(sender), properties));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 10 && sender.sent.size() < 300; round++) {
                List<Future<?>> polls = new ArrayList<>();
                for (Dispatcher dispatcher : dispatchers) {
                    polls.add(pool.submit(() -> dispatcher.poll(sender)));
                }
                for (Future<?> poll : polls) {
                    poll.get();
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(sender.sent).hasSize(300);
        assertThat(sender.sent.values())
                .allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
        assertThat(outbox.list(Channel.WEBHOOK, DeliveryStatus.SENT, 1000)
                        .count()
                        .block())
                .isEqualTo(300);
    }

    @Test
    void finishedDeliveriesAreRemovedAfterTheRetentionAndDueOnesStay() {
        Outbox outbox = new Outbox(mongo, Duration.ofSeconds(10), java.time.Clock.systemUTC());
        for (int i = 0; i < 2; i++) {
            outbox.recordWebhook(
                    DeliveryKey.of("comment.held", "sent" + i + ":1", Channel.WEBHOOK, "http://h/"),
                    UUID.randomUUID(),
                    new WebhookPayload("http://h/", "t", "{}"));
        }
        CountingSender sender = new CountingSender();
        new Dispatcher(mongo, List.of(sender), TestProperties.with()).poll(sender);
        assertThat(sender.sent).hasSize(2);
        DeliveryKey due = DeliveryKey.of("comment.held", "due:1", Channel.WEBHOOK, "http://h/");
        outbox.recordWebhook(due, UUID.randomUUID(), new WebhookPayload("http://h/", "t", "{}"));

        Duration retention = Duration.ofDays(30);
        Instant now = Instant.now();
        assertThat(new OutboxRetention(
                                outbox, java.time.Clock.fixed(now.plus(Duration.ofDays(29)), ZoneOffset.UTC), retention)
                        .sweep())
                .isZero();
        assertThat(new OutboxRetention(
                                outbox, java.time.Clock.fixed(now.plus(Duration.ofDays(31)), ZoneOffset.UTC), retention)
                        .sweep())
                .isEqualTo(2);
        assertThat(outbox.list(Channel.WEBHOOK, DeliveryStatus.SENT, 10).count().block())
                .isZero();
        assertThat(outbox.exists(due)).isTrue();
    }

    @Test
    void deliveryOfADeadInstanceIsSentAgainAfterItsLease() {
        Instant past = Instant.now().minusSeconds(60);
        mongo.insert(new OutboxEntry(
                        "comment.held:c1:1:webhook:x",
                        "comment.held",
                        Channel.WEBHOOK,
                        "c1:1",
                        UUID.randomUUID().toString(),
                        DeliveryStatus.SENDING,
                        1,
                        past,
                        past,
                        past.plusSeconds(30),
                        "dead",
                        null,
                        null,
                        null,
                        new WebhookPayload("http://h/", "t", "{}")))
                .block();
        mongo.insert(new OutboxEntry(
                        "comment.held:c2:1:webhook:x",
                        "comment.held",
                        Channel.WEBHOOK,
                        "c2:1",
                        UUID.randomUUID().toString(),
                        DeliveryStatus.SENDING,
                        1,
                        past,
                        past,
                        Instant.now().plusSeconds(60),
                        "alive",
                        null,
                        null,
                        null,
                        new WebhookPayload("http://h/", "t", "{}")))
                .block();
        CountingSender sender = new CountingSender();
        var properties = TestProperties.with();

        new Dispatcher(mongo, List.of(sender), properties).poll(sender);

        assertThat(sender.sent.keySet()).containsExactly("comment.held:c1:1:webhook:x");
    }

    @Test
    void whenTheChannelIsUnreachableTheRestOfTheBatchIsGivenBackWithoutAnAttempt() {
        Outbox outbox = outboxOfWebhooks(5);
        AtomicInteger asked = new AtomicInteger();
        DeliverySender down =
                webhooks(entry -> asked.incrementAndGet() == 1 ? SendResult.sent() : SendResult.unavailable("down"));

        assertThat(new Dispatcher(mongo, List.of(down), TestProperties.with()).poll(down))
                .isZero();

        assertThat(asked).hasValue(2);
        assertThat(outbox.list(Channel.WEBHOOK, DeliveryStatus.SENT, 10).count().block())
                .isEqualTo(1);
        List<OutboxEntry> pending = outbox.list(Channel.WEBHOOK, DeliveryStatus.PENDING, 10)
                .collectList()
                .block();
        assertThat(pending).hasSize(4);
        // the one tried waits for its back-off; the three not tried are due at once, with no attempt counted
        assertThat(pending).filteredOn(entry -> entry.attempts() == 0).hasSize(3);
        assertThat(pending).filteredOn(entry -> entry.attempts() == 0).allSatisfy(entry -> {
            assertThat(entry.leaseToken()).isNull();
            assertThat(entry.nextAttemptAt()).isBeforeOrEqualTo(Instant.now());
        });
    }

    @Test
    void aClaimedDeliveryIsNotSentOnceLessThanHalfItsLeaseIsLeft() {
        Outbox outbox = outboxOfWebhooks(3);
        AtomicInteger asked = new AtomicInteger();
        DeliverySender slow = slowWebhooks(asked, 1_200); // more than half of the 2s lease

        new Dispatcher(mongo, List.of(slow), TestProperties.with("notification.outbox.lease=2s")).poll(slow);

        assertThat(asked).hasValue(1);
        assertThat(outbox.list(Channel.WEBHOOK, DeliveryStatus.PENDING, 10)
                        .count()
                        .block())
                .isEqualTo(2);
    }

    @Test
    void aStoppingServiceFinishesTheSendInProgressAndGivesTheRestBack() {
        Outbox outbox = outboxOfWebhooks(5);
        AtomicInteger asked = new AtomicInteger();
        DeliverySender slow = slowWebhooks(asked, 500);
        Dispatcher dispatcher =
                new Dispatcher(mongo, List.of(slow), TestProperties.with("notification.outbox.poll-interval=50ms"));

        dispatcher.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> asked.get() == 1);
        dispatcher.stop();

        assertThat(asked).hasValue(1);
        assertThat(outbox.list(Channel.WEBHOOK, DeliveryStatus.SENT, 10).count().block())
                .isEqualTo(1);
        assertThat(outbox.list(Channel.WEBHOOK, DeliveryStatus.PENDING, 10)
                        .count()
                        .block())
                .isEqualTo(4);
    }

    /** Webhooks that take {@code millis} to send each one, counting the ones asked for. */
    private static DeliverySender slowWebhooks(AtomicInteger asked, long millis) {
        return webhooks(entry -> {
            asked.incrementAndGet();
            try {
                Thread.sleep(millis);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            return SendResult.sent();
        });
    }

    private Outbox outboxOfWebhooks(int count) {
        Outbox outbox = new Outbox(mongo, Duration.ofSeconds(10), java.time.Clock.systemUTC());
        for (int i = 0; i < count; i++) {
            outbox.recordWebhook(
                    DeliveryKey.of("comment.held", "c" + i + ":1", Channel.WEBHOOK, "http://h/"),
                    UUID.randomUUID(),
                    new WebhookPayload("http://h/", "t", "{}"));
        }
        return outbox;
    }

    private static DeliverySender webhooks(Function<OutboxEntry, SendResult> send) {
        return new DeliverySender() {
            @Override
            public Channel channel() {
                return Channel.WEBHOOK;
            }

            @Override
            public SendResult send(OutboxEntry entry) {
                return send.apply(entry);
            }
        };
    }
}
