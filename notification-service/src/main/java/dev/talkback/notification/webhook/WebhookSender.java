package dev.talkback.notification.webhook;

import dev.talkback.notification.NotificationProperties;
import dev.talkback.notification.delivery.Channel;
import dev.talkback.notification.delivery.DeliverySender;
import dev.talkback.notification.delivery.OutboxEntry;
import dev.talkback.notification.delivery.SendResult;
import dev.talkback.notification.delivery.WebhookPayload;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * POSTs a recorded CloudEvent: {@code Content-Type: application/cloudevents+json}, {@code Webhook-Id} (the
 * delivery key, stable across retries, for the receiver's deduplication) and {@code Webhook-Signature}, signed at
 * each attempt. 2xx is delivered; anything else, or no complete answer within
 * {@code notification.webhooks.timeout}, is retried. That timeout is a deadline for the whole call (DNS,
 * connect, TLS, request, status line, headers and body), so a receiver trickling its answer cannot hold the
 * dispatcher. The secret is looked up by URL among the configured and registered webhooks (it is not stored in the
 * outbox); a delivery whose webhook was removed fails.
 *
 * <p>Only destinations the {@link Destinations} allow are called: the URL is checked, and the host's addresses are
 * checked as they are resolved for the connection ({@link CheckedResolverGroup}); a refused one fails for good with
 * {@code destination not allowed}. The error kept for admins is a category ({@code timeout},
 * {@code connection refused}, {@code HTTP 500} …): never the receiver's answer or an exception message, which
 * would tell a caller what listens where.
 */
@Component
class WebhookSender implements DeliverySender {

    private final WebhookRegistry registry;
    private final Destinations destinations;
    private final HttpClient client;
    private final Duration timeout;
    private final Clock clock = Clock.systemUTC();

    @Autowired
    WebhookSender(NotificationProperties properties, WebhookRegistry registry) {
        this(properties, registry, InetAddress::getAllByName);
    }

    WebhookSender(NotificationProperties properties, WebhookRegistry registry, CheckedResolverGroup.Lookup lookup) {
        this.registry = registry;
        this.timeout = properties.webhooks().timeout();
        this.destinations = new Destinations(properties.webhooks().policy());
        // a connection per call: a pooled one, keyed by address, could carry another host's call over a TLS session
        // checked for the first
        this.client = HttpClient.create(ConnectionProvider.newConnection())
                .resolver(new CheckedResolverGroup(lookup, destinations, Schedulers.boundedElastic()))
                .followRedirect(false)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }

    @Override
    public Channel channel() {
        return Channel.WEBHOOK;
    }

    @Override
    public SendResult send(OutboxEntry entry) {
        WebhookPayload call = entry.webhook();
        if (call == null) {
            return SendResult.failed("no call recorded");
        }
        WebhookRegistry.Target webhook = registry.byUrl(call.url()).orElse(null);
        if (webhook == null) {
            return SendResult.failed("webhook no longer configured");
        }
        URI url;
        try {
            url = URI.create(call.url());
        } catch (IllegalArgumentException ex) {
            return SendResult.failed("invalid URL");
        }
        // the scheme and an IP-literal host (which is not resolved, so not seen by the resolver) are checked here
        if (destinations.urlProblem(url) != null) {
            return SendResult.failed(Destinations.NOT_ALLOWED);
        }
        long timestamp = clock.instant().getEpochSecond();
        byte[] body = call.body().getBytes(StandardCharsets.UTF_8);
        try {
            Integer status = client.headers(headers -> headers.set(
                                    HttpHeaderNames.CONTENT_TYPE, "application/cloudevents+json; charset=utf-8")
                            .set("Webhook-Id", entry.id())
                            .set(
                                    WebhookSignature.HEADER,
                                    WebhookSignature.header(webhook.secret(), timestamp, call.body())))
                    .post()
                    .uri(url)
                    .send((request, outbound) -> outbound.sendByteArray(Mono.just(body)))
                    // the answer is read to its end (and dropped) within the deadline
                    .response((response, content) ->
                            content.then(Mono.just(response.status().code())))
                    .next()
                    .timeout(timeout)
                    .block();
            if (status == null) {
                return SendResult.retry("no answer");
            }
            return status >= 200 && status < 300 ? SendResult.sent() : SendResult.retry("HTTP " + status);
        } catch (RuntimeException ex) {
            if (Exceptions.unwrap(ex) instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                return SendResult.retry("interrupted");
            }
            String category = category(Exceptions.unwrap(ex));
            return category.equals(Destinations.NOT_ALLOWED) ? SendResult.failed(category) : SendResult.retry(category);
        }
    }

    /** What went wrong, as a category: never the exception's message (it names addresses and answers). */
    static String category(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof CheckedResolverGroup.DestinationNotAllowedException) {
                return Destinations.NOT_ALLOWED;
            }
            if (cause instanceof TimeoutException || cause instanceof ConnectTimeoutException) {
                return "timeout";
            }
            if (cause instanceof ConnectException) {
                return "connection refused";
            }
            if (cause instanceof UnknownHostException) {
                return "unknown host";
            }
            if (cause instanceof SSLException) {
                return "TLS failed";
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return "connection failed";
    }
}
