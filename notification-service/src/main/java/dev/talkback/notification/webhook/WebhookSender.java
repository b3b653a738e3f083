package dev.talkback.notification.webhook;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;

import dev.talkback.notification.NotificationProperties;
import dev.talkback.notification.delivery.Channel;
import dev.talkback.notification.delivery.DeliverySender;
import dev.talkback.notification.delivery.OutboxEntry;
import dev.talkback.notification.delivery.SendResult;
import dev.talkback.notification.delivery.WebhookPayload;
import org.springframework.stereotype.Component;

/**
 * POSTs a recorded CloudEvent: {@code Content-Type: application/cloudevents+json}, {@code Webhook-Id} (the
 * delivery key, stable across retries, for the receiver's deduplication) and {@code Webhook-Signature}, signed at
 * each attempt. 2xx is delivered; anything else, or no answer within {@code notification.outbox.webhook-timeout},
 * is retried. The secret is looked up by URL among the configured and registered webhooks (it is not stored in the
 * outbox); a delivery whose webhook was removed fails.
 */
@Component
class WebhookSender implements DeliverySender {

    private final WebhookRegistry registry;
    private final HttpClient client;
    private final Duration timeout;
    private final Clock clock = Clock.systemUTC();

    WebhookSender(NotificationProperties properties, WebhookRegistry registry) {
        this.registry = registry;
        this.timeout = properties.outbox().webhookTimeout();
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
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
        long timestamp = clock.instant().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(URI.create(call.url()))
                .timeout(timeout)
                .header("Content-Type", "application/cloudevents+json; charset=utf-8")
                .header("Webhook-Id", entry.id())
                .header(WebhookSignature.HEADER, WebhookSignature.header(webhook.secret(), timestamp, call.body()))
                .POST(HttpRequest.BodyPublishers.ofString(call.body()))
                .build();
        try {
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            return status >= 200 && status < 300 ? SendResult.sent() : SendResult.retry("HTTP " + status);
        }
        catch (IOException ex) {
            return SendResult.retry(ex.getClass().getSimpleName());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return SendResult.retry("interrupted");
        }
    }
}
