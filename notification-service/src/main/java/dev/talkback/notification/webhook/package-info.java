/**
 * Webhooks: each configured URL gets the site's comment events it asked for as CloudEvents 1.0 (structured JSON),
 * signed with HMAC-SHA256, through the outbox (retries with back-off and jitter, failures kept and re-drivable).
 */
@NullMarked
package dev.talkback.notification.webhook;

import org.jspecify.annotations.NullMarked;
