package dev.talkback.notification.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.talkback.notification.NotificationProperties;
import dev.talkback.notification.TestProperties;
import dev.talkback.notification.delivery.Channel;
import dev.talkback.notification.delivery.DeliveryStatus;
import dev.talkback.notification.delivery.OutboxEntry;
import dev.talkback.notification.delivery.SendResult;
import dev.talkback.notification.delivery.WebhookPayload;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The webhook call against real sockets: a deadline for the whole call, destinations checked after resolution and
 * connected to as checked, errors kept as categories only.
 */
class WebhookSenderTests {

    private static final String BANNER = "SSH-2.0-OpenSSH_9.6 internal-db.corp";
    private static final Duration DEADLINE = Duration.ofMillis(1500);

    private static final CheckedResolverGroup.Lookup NO_DNS = host -> {
        throw new UnknownHostException("no DNS in this test");
    };

    private final AtomicInteger lookups = new AtomicInteger();

    @Test
    void aReceiverTricklingItsAnswerIsCutOffAtTheDeadline() throws Exception {
        try (RawReceiver receiver = new RawReceiver("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n", 100)) {
            String url = "http://127.0.0.1:" + receiver.port() + "/hook";
            long started = System.nanoTime();
            SendResult result = assertTimeoutPreemptively(
                    Duration.ofSeconds(15), () -> sender(url, true, NO_DNS).send(entry(url)));

            assertThat(result).isEqualTo(SendResult.retry("timeout"));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(DEADLINE.plusSeconds(3));
        }
    }

    @Test
    void aReceiverTricklingItsHeadersIsCutOffAtTheDeadline() throws Exception {
        try (RawReceiver receiver = new RawReceiver("HTTP/1.1 200 OK\r\nX-Slow: ", 100)) {
            String url = "http://127.0.0.1:" + receiver.port() + "/hook";
            SendResult result = assertTimeoutPreemptively(
                    Duration.ofSeconds(15), () -> sender(url, true, NO_DNS).send(entry(url)));

            assertThat(result).isEqualTo(SendResult.retry("timeout"));
        }
    }

    @Test
    void aHostNameResolvingToLoopbackIsRefusedAtSendTimeWithoutConnecting() throws Exception {
        try (RawReceiver receiver = new RawReceiver("HTTP/1.1 204 No Content\r\n\r\n", 0)) {
            String url = "http://hooks.example:" + receiver.port() + "/hook";
            SendResult result = resolving(url, false, "127.0.0.1").send(entry(url));

            assertThat(result).isEqualTo(SendResult.failed("destination not allowed"));
            assertThat(receiver.connections()).isZero();
        }
    }

    @Test
    void aHostNameWithAPublicAndAnInternalAddressIsRefused() throws Exception {
        String url = "http://hooks.example/hook";
        WebhookSender sender = sender(url, false, host -> new InetAddress[] {
            InetAddress.getByAddress(host, new byte[] {93, (byte) 184, (byte) 215, 14}),
            InetAddress.getByAddress(host, new byte[] {10, 0, 0, 7})
        });

        assertThat(sender.send(entry(url))).isEqualTo(SendResult.failed("destination not allowed"));
    }

    @Test
    void anInternalIpLiteralIsRefusedAtSendTime() {
        String url = "http://169.254.169.254/latest/meta-data/";
        assertThat(resolving(url, false, "127.0.0.1").send(entry(url)))
                .isEqualTo(SendResult.failed("destination not allowed"));
        assertThat(lookups).hasValue(0);
    }

    /** The connection goes to the address the name resolved to, once; the request keeps the name. */
    @Test
    void theCallGoesToTheCheckedAddressWithTheHostNameKept() throws Exception {
        try (RawReceiver receiver = new RawReceiver("HTTP/1.1 204 No Content\r\n\r\n", 0)) {
            String url = "http://hooks.example:" + receiver.port() + "/hook?x=1";
            SendResult result = resolving(url, true, "127.0.0.1").send(entry(url));

            assertThat(result).isEqualTo(SendResult.sent());
            assertThat(lookups).hasValue(1);
            assertThat(receiver.heads())
                    .singleElement()
                    .asString()
                    .startsWith("POST /hook?x=1 HTTP/1.1\r\n")
                    .containsIgnoringCase("host: hooks.example:" + receiver.port() + "\r\n")
                    .contains("Webhook-Signature: t=");
        }
    }

    @Test
    void theErrorKeptIsACategoryNeverTheReceiversAnswer() throws Exception {
        try (RawReceiver http500 = new RawReceiver(
                        "HTTP/1.1 500 " + BANNER + "\r\nContent-Length: " + BANNER.length() + "\r\nServer: " + BANNER
                                + "\r\n\r\n" + BANNER,
                        0);
                RawReceiver notHttp = new RawReceiver(BANNER + "\r\n", 0)) {
            String url500 = "http://127.0.0.1:" + http500.port() + "/";
            assertThat(sender(url500, true, NO_DNS).send(entry(url500))).isEqualTo(SendResult.retry("HTTP 500"));

            String urlNotHttp = "http://127.0.0.1:" + notHttp.port() + "/";
            SendResult garbage = sender(urlNotHttp, true, NO_DNS).send(entry(urlNotHttp));
            assertThat(garbage.outcome()).isEqualTo(SendResult.Outcome.RETRY);
            assertThat(garbage.detail()).isIn("connection failed", "HTTP 0").doesNotContain("SSH");
        }
        int closed;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closed = free.getLocalPort();
        }
        String refused = "http://127.0.0.1:" + closed + "/";
        assertThat(sender(refused, true, NO_DNS).send(entry(refused)))
                .isEqualTo(SendResult.retry("connection refused"));
    }

    private WebhookSender resolving(String url, boolean allowLoopback, String resolvedTo) {
        return sender(url, allowLoopback, host -> new InetAddress[] {
            InetAddress.getByAddress(host, InetAddress.getByName(resolvedTo).getAddress())
        });
    }

    private WebhookSender sender(String url, boolean allowLoopback, CheckedResolverGroup.Lookup lookup) {
        Map<String, String> settings = new HashMap<>();
        settings.put("notification.webhooks.timeout", DEADLINE.toMillis() + "ms");
        settings.put("notification.webhooks.policy.allow-http", "true");
        settings.put("notification.webhooks.policy.allow-loopback", String.valueOf(allowLoopback));
        settings.put("notification.webhooks.configured[0].url", url);
        settings.put("notification.webhooks.configured[0].secret", "webhook-secret-0123456789");
        NotificationProperties properties = TestProperties.with(settings);
        CheckedResolverGroup.Lookup counting = host -> {
            lookups.incrementAndGet();
            return lookup.all(host);
        };
        return new WebhookSender(properties, new WebhookRegistry(null, properties), counting);
    }

    private static OutboxEntry entry(String url) {
        Instant now = Instant.now();
        return new OutboxEntry(
                "comment.held:c1:1:webhook:x",
                "comment.held",
                Channel.WEBHOOK,
                "c1:1",
                "e1",
                DeliveryStatus.SENDING,
                1,
                now,
                now,
                now.plusSeconds(60),
                "lease",
                null,
                null,
                null,
                new WebhookPayload(url, "dev.talkback.comment.held", "{\"specversion\":\"1.0\"}"),
                null);
    }
}
