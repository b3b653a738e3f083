package dev.talkback.notification.delivery;

/**
 * A webhook call: the CloudEvent body is rendered once, so every retry sends the same bytes (the signature and
 * its timestamp are computed per attempt). The secret is not stored: it is taken from the configuration by URL.
 *
 * @param url  the webhook URL
 * @param type the CloudEvent type
 * @param body the CloudEvent, structured-mode JSON
 */
public record WebhookPayload(String url, String type, String body) {}
