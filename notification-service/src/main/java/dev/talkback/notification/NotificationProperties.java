package dev.talkback.notification;

import dev.talkback.support.kafka.KafkaRetry;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Every setting of notification-service, prefix {@code notification}. Each one is listed with its meaning in the
 * module's README.
 *
 * @param commentUrl        link to a published comment; {@code {articleId}} and {@code {commentId}} are replaced by
 *                          the URL-encoded ids
 * @param mailFrom          the sender of every mail, an RFC 5322 address with an optional display name
 * @param replyTo           the Reply-To address, or empty for none
 * @param siteName          the site's name as readers know it; used in subjects and bodies
 * @param excerptLength     how many characters of the comment the mail quotes at most
 * @param topicPartitions   partitions of the topics this service declares (the consumed topic and its dead letters)
 * @param topicReplicas     replication factor of those topics
 * @param storeTimeout      how long the listener waits for one MongoDB operation
 * @param healthTimeout     how long the Kafka and MongoDB health checks wait for an answer
 * @param retry             the back-off before a failing record goes to the dead-letter topic
 * @param publicUrl         public base URL of this service, for the confirmation and unsubscribe links
 * @param linkSecret        HMAC key of confirmation and unsubscribe links; random per instance (with a warning) if
 *                          unset
 * @param security          who may use the admin API: bearer JWTs, as moderation-service checks them
 * @param notifyRejections  whether authors are told that their comment was rejected (with the public reason)
 * @param moderators        addresses that get the digest of held comments
 * @param digestInterval    at most one digest per this interval
 * @param moderationUrl     link to a held comment for moderators; {@code {articleId}}, {@code {commentId}} replaced
 * @param webhooks          the site's configured webhooks (read-only; more can be registered through the API)
 * @param webhookRefresh    how often each instance reloads the webhooks registered through the API
 * @param outbox            how the outbox dispatcher runs and retries
 * @param rateLimit         at most this many mails per recipient per window; more are dropped
 * @param webhookPolicy     where webhooks may point to
 * @param confirmation      the double opt-in of an address: its link's validity, how often it may be asked
 */
@Validated
@ConfigurationProperties("notification")
public record NotificationProperties(
        @DefaultValue("http://localhost:8080/articles/{articleId}#comment-{commentId}")
        @NotBlank
        @Pattern(regexp = "https?://.+", message = "must be an http or https URL")
        String commentUrl,

        @DefaultValue("Talkback <comments@localhost>") @NotBlank
        String mailFrom,

        @Nullable String replyTo,
        @DefaultValue("Talkback") @NotBlank String siteName,
        @DefaultValue("200") @Min(20) @Max(2000) int excerptLength,
        @DefaultValue("6") @Min(1) int topicPartitions,
        @DefaultValue("1") @Min(1) short topicReplicas,
        @DefaultValue("10s") @NotNull Duration storeTimeout,
        @DefaultValue("3s") @NotNull Duration healthTimeout,
        @DefaultValue @Valid @NotNull KafkaRetry retry,

        @DefaultValue("http://localhost:8082")
        @NotBlank
        @Pattern(regexp = "https?://.+", message = "must be an http or https URL")
        String publicUrl,

        @Nullable String linkSecret,
        @DefaultValue @Valid @NotNull Security security,
        @DefaultValue("false") boolean notifyRejections,
        @DefaultValue List<String> moderators,
        @DefaultValue("15m") @NotNull Duration digestInterval,

        @DefaultValue("http://localhost:8081/moderation/comments/{commentId}")
        @NotBlank
        @Pattern(regexp = "https?://.+", message = "must be an http or https URL")
        String moderationUrl,

        @DefaultValue List<@Valid Webhook> webhooks,
        @DefaultValue("5s") @NotNull Duration webhookRefresh,
        @DefaultValue @Valid @NotNull Outbox outbox,
        @DefaultValue @Valid @NotNull RateLimit rateLimit,
        @DefaultValue @Valid @NotNull WebhookPolicy webhookPolicy,
        @DefaultValue @Valid @NotNull Confirmation confirmation) {

    /**
     * One webhook of the site.
     *
     * @param url    where the CloudEvents are POSTed (http or https)
     * @param secret HMAC-SHA256 key of the {@code Webhook-Signature} header
     * @param events which events: {@code comment.published}, {@code comment.rejected}, {@code comment.held}; empty
     *               for all
     */
    public record Webhook(
            @NotBlank @Pattern(regexp = "https?://.+", message = "must be an http or https URL")
            String url,

            @NotBlank String secret,
            @DefaultValue List<String> events) {

        public boolean wants(String type) {
            return events.isEmpty() || events.contains(type);
        }

        /** Without the secret: this record may end up in a log (binding errors, debugging). */
        @Override
        public String toString() {
            return "Webhook[url=" + url + ", events=" + events + "]";
        }
    }

    /**
     * Bearer tokens of the admin API ({@code /api/notifications/**}), the same scheme as moderation-service: in
     * production Spring Boot's {@code spring.security.oauth2.resourceserver.jwt.issuer-uri} / {@code jwk-set-uri};
     * on the local stack an HMAC key shared with the launcher. Neither: every token is refused.
     *
     * @param localSigningKey HMAC-SHA256 key (at least 32 bytes of UTF-8) of locally minted tokens, accepted with the
     *                        {@code local} profile only; empty = none
     * @param rolesClaim      the claim holding the roles ({@code ADMIN}, matched exactly), a list or a string
     * @param issuer          the {@code iss} every token must carry; empty = the issuer-uri, or
     *                        {@code talkback-local-stack} with the local key
     * @param audience        a value every token's {@code aud} must contain
     */
    public record Security(
            @DefaultValue("") String localSigningKey,
            @DefaultValue("roles") @NotNull String rolesClaim,
            @DefaultValue("") String issuer,
            @DefaultValue("talkback-notification") @NotBlank String audience) {

        @Override
        public String toString() {
            return "Security[localSigningKey=" + (localSigningKey.isEmpty() ? "none" : "(set)") + ", rolesClaim="
                    + rolesClaim + ", issuer=" + issuer + ", audience=" + audience + "]";
        }
    }

    /**
     * The outbox dispatcher: every {@code pollInterval} each instance claims up to {@code batchSize} due deliveries
     * per channel, each for {@code lease}; a claim whose lease ran out (crashed instance) is taken again.
     *
     * @param pollInterval         how often each instance looks for due deliveries
     * @param batchSize            deliveries claimed per look
     * @param lease                how long a claim holds
     * @param jitter               random share (0–1) added to or taken from each back-off
     * @param mailInitialBackoff   first wait after a failed mail
     * @param mailMaxBackoff       longest wait between mail attempts
     * @param mailGiveUpAfter      a mail that could not be sent for this long is marked failed
     * @param webhookInitialBackoff first wait after a failed webhook call
     * @param webhookMaxBackoff    longest wait between webhook attempts
     * @param webhookMaxAttempts   attempts before a webhook delivery is marked failed
     * @param webhookTimeout       the deadline of one webhook call as a whole: DNS, connect, TLS, request, status
     *                             and the whole answer (a receiver trickling its answer is cut off)
     * @param multiplier           back-off growth
     */
    public record Outbox(
            @DefaultValue("1s") @NotNull Duration pollInterval,
            @DefaultValue("50") @Min(1) @Max(1000) int batchSize,
            @DefaultValue("2m") @NotNull Duration lease,

            @DefaultValue("0.2") @DecimalMin("0.0") @DecimalMax("1.0")
            double jitter,

            @DefaultValue("10s") @NotNull Duration mailInitialBackoff,
            @DefaultValue("15m") @NotNull Duration mailMaxBackoff,
            @DefaultValue("3d") @NotNull Duration mailGiveUpAfter,
            @DefaultValue("5s") @NotNull Duration webhookInitialBackoff,
            @DefaultValue("10m") @NotNull Duration webhookMaxBackoff,
            @DefaultValue("8") @Min(1) @Max(100) int webhookMaxAttempts,
            @DefaultValue("10s") @NotNull Duration webhookTimeout,
            @DefaultValue("2.0") @DecimalMin("1.0") double multiplier) {}

    /**
     * Where a webhook may point to: an https URL whose host resolves only to public addresses, never to this machine
     * or the internal network (loopback, private, link-local, unique-local, shared/CGNAT, multicast, reserved, and
     * IPv6 forms embedding them). Checked at registration and, after DNS resolution, at every call, which then
     * connects to the address checked. The {@code local} profile relaxes both for the local demo.
     *
     * @param allowHttp     plain http URLs too (local profile: true)
     * @param allowLoopback this machine's own addresses ({@code localhost}, 127.0.0.0/8, ::1) too (local profile:
     *                      true); other internal addresses stay refused
     */
    public record WebhookPolicy(
            @DefaultValue("false") boolean allowHttp,
            @DefaultValue("false") boolean allowLoopback) {}

    /**
     * Per-recipient mail limit, counted in MongoDB, so it holds across instances: a mail over the limit is dropped
     * (status {@code CANCELLED}, counted in {@code notification.mail.dropped{reason=rate-limit}}), never postponed.
     *
     * @param maxPerWindow mails per recipient per window
     * @param window       length of a window
     */
    public record RateLimit(
            @DefaultValue("10") @Min(1) int maxPerWindow,
            @DefaultValue("1h") @NotNull Duration window) {}

    /**
     * Double opt-in: an address that asked for a kind of mail that needs confirmation ("published", "rejected",
     * replies) and has not confirmed gets one confirmation request, and nothing else, until it confirms; one
     * confirmation covers every such kind.
     *
     * @param linkValidity    how long the link of a confirmation request works; a mail waiting for the
     *                        confirmation is cancelled after as long
     * @param requestInterval at most one confirmation request per address per interval (fixed windows)
     * @param articleUrl      the link to the article in a confirmation request (the request quotes nothing of the
     *                        comment); {@code {articleId}} is replaced by the URL-encoded id
     */
    public record Confirmation(
            @DefaultValue("7d") @NotNull Duration linkValidity,
            @DefaultValue("1d") @NotNull Duration requestInterval,

            @DefaultValue("http://localhost:8080/articles/{articleId}")
            @NotBlank
            @Pattern(regexp = "https?://.+", message = "must be an http or https URL")
            String articleUrl) {}

    /** The Reply-To address, if one is configured. */
    public @Nullable String replyToOrNull() {
        return replyTo == null || replyTo.isBlank() ? null : replyTo;
    }

    /** The public base URL without a trailing slash. */
    public String publicBaseUrl() {
        return publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }
}
