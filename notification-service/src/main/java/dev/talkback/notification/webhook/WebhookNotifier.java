package dev.talkback.notification.webhook;

import dev.talkback.events.CommentModerated;
import dev.talkback.events.PrivacyErasure;
import dev.talkback.notification.NotificationProperties;
import dev.talkback.notification.delivery.Channel;
import dev.talkback.notification.delivery.DeliveryKey;
import dev.talkback.notification.delivery.Outbox;
import dev.talkback.notification.delivery.WebhookPayload;
import dev.talkback.notification.kafka.CommentModeratedHandler;
import dev.talkback.notification.mail.MailText;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Records one webhook call per webhook (configured or registered through the API) that wants the event ({@code comment.published},
 * {@code comment.rejected}, {@code comment.held}), keyed by event type, comment, revision and URL: a redelivered
 * event records nothing new. The body is a CloudEvent 1.0 in structured mode; it never contains an email
 * address.
 */
@Component
class WebhookNotifier implements CommentModeratedHandler {

    static final String TYPE_PREFIX = "dev.talkback.";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Outbox outbox;
    private final NotificationProperties properties;
    private final WebhookRegistry registry;

    WebhookNotifier(Outbox outbox, NotificationProperties properties, WebhookRegistry registry) {
        this.outbox = outbox;
        this.properties = properties;
        this.registry = registry;
    }

    @Override
    public void handle(CommentModerated event) {
        var webhooks = registry.all();
        if (webhooks.isEmpty()) {
            return;
        }
        String name = switch (event.outcome()) {
            case APPROVED -> "comment.published";
            case REJECTED -> "comment.rejected";
            case HELD -> "comment.held";
        };
        // The revision that erases a comment holds nothing personal, and is how the receivers learn of the erasure: an
        // erasure applied after it is recorded must not cancel it as one of the calls about the comment
        // ("commentId:revision", Outbox.erase).
        boolean erasing =
                event.reasons().stream().anyMatch(reason -> PrivacyErasure.ERASED_RULE.equals(reason.ruleId()));
        String subject = (erasing ? "erased:" : "") + event.commentId() + ":" + event.revision();
        String body = null;
        for (WebhookRegistry.Target webhook : webhooks) {
            if (!webhook.wants(name)) {
                continue;
            }
            if (body == null) {
                body = cloudEvent(event, TYPE_PREFIX + name);
            }
            outbox.recordWebhook(
                    DeliveryKey.of(name, subject, Channel.WEBHOOK, webhook.url()),
                    event.eventId(),
                    new WebhookPayload(webhook.url(), TYPE_PREFIX + name, body));
        }
    }

    String cloudEvent(CommentModerated event, String type) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("commentId", event.commentId());
        data.put("articleId", event.articleId());
        data.put("revision", event.revision());
        data.put("outcome", event.outcome().name());
        data.put("human", event.human());
        data.put("parentId", event.comment().parentId());
        data.put("authorName", event.comment().authorName());
        data.put("website", event.comment().website());
        data.put("text", event.comment().text());
        data.put("publicReason", event.publicReason());
        data.put("url", MailText.link(properties.site().commentUrl(), event.articleId(), event.commentId()));
        Map<String, Object> cloudEvent = new LinkedHashMap<>();
        cloudEvent.put("specversion", "1.0");
        cloudEvent.put("id", event.eventId().toString());
        cloudEvent.put("source", properties.links().publicBaseUrl());
        cloudEvent.put("type", type);
        cloudEvent.put("subject", event.commentId());
        cloudEvent.put("time", event.occurredAt().toString());
        cloudEvent.put("datacontenttype", "application/json");
        cloudEvent.put("data", data);
        return JSON.writeValueAsString(cloudEvent);
    }
}
