package dev.talkback.notification;

import dev.talkback.support.kafka.KafkaRetry;
import dev.talkback.support.security.TokenRules;
import dev.talkback.support.security.TokenSettings;
import dev.talkback.support.web.ClientAddressResolver;
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
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Every setting of notification-service, prefix {@code notification}, grouped by what an operator sets up together.
 * Each one is listed with its meaning in the module's README; the names they had before this grouping are refused at
 * start-up ({@link RenamedSettings}).
 *
 * @param site         the news site the notifications are about: its name and the links into it
 * @param mail         what the mails look like, to whom they may go, how often, and how long a failing one is retried
 * @param confirmation the double opt-in of an address: its link's validity, how often it may be asked
 * @param links        the confirmation and unsubscribe links this service puts in mails
 * @param digest       the digest of held comments for moderators
 * @param webhooks     the site's webhooks, where webhooks may point to, and how their calls are made and retried
 * @param outbox       how the outbox dispatcher runs, for both channels
 * @param kafka        the topics this service declares and the back-off of a failing record
 * @param timeouts     how long MongoDB operations and health checks may take
 * @param security     who may use the admin API: bearer JWTs, as moderation-service checks them
 * @param privacy      the readers' rights over their data (GDPR Art. 15, 17): how addresses are keyed, the link a
 *                     reader asks for, the export and its limits
 */
@Validated
@ConfigurationProperties("notification")
public record NotificationProperties(
        @DefaultValue @Valid @NotNull Site site,
        @DefaultValue @Valid @NotNull Mail mail,
        @DefaultValue @Valid @NotNull Confirmation confirmation,
        @DefaultValue @Valid @NotNull Links links,
        @DefaultValue @Valid @NotNull Digest digest,
        @DefaultValue @Valid @NotNull Webhooks webhooks,
        @DefaultValue @Valid @NotNull Outbox outbox,
        @DefaultValue @Valid @NotNull Kafka kafka,
        @DefaultValue @Valid @NotNull Timeouts timeouts,
        @DefaultValue @Valid @NotNull TokenSettings security,
        @DefaultValue @Valid @NotNull Privacy privacy) {

    public NotificationProperties {
        security = security.withDefaultAudience(TokenRules.NOTIFICATION_AUDIENCE);
    }

    /**
     * The news site whose comments these are.
     *
     * @param name       the site's name as readers know it; used in subjects, bodies and pages
     * @param commentUrl link to a published comment; {@code {articleId}} and {@code {commentId}} are replaced by the
     *                   URL-encoded ids
     * @param articleUrl link to an article, in a confirmation request (which quotes nothing of the comment);
     *                   {@code {articleId}} is replaced by the URL-encoded id
     */
    public record Site(
            @DefaultValue("Talkback") @NotBlank String name,

            @DefaultValue("http://localhost:8080/articles/{articleId}#comment-{commentId}")
            @NotBlank
            @Pattern(regexp = "https?://.+", message = "must be an http or https URL")
            String commentUrl,

            @DefaultValue("http://localhost:8080/articles/{articleId}")
            @NotBlank
            @Pattern(regexp = "https?://.+", message = "must be an http or https URL")
            String articleUrl) {}

    /**
     * The mails (SMTP itself is {@code spring.mail.*}).
     *
     * @param from             the sender of every mail, an RFC 5322 address with an optional display name
     * @param replyTo          the Reply-To address, or empty for none
     * @param excerptLength    how many characters of the comment a mail quotes at most
     * @param notifyRejections whether authors are told that their comment was rejected (with the public reason)
     * @param rateLimit        at most this many mails per recipient per window; more are dropped
     * @param retry            how a mail that could not be sent is retried, and when it is given up
     * @param connectionIdleTimeout how long an SMTP connection is kept open without a mail to send
     */
    public record Mail(
            @DefaultValue("Talkback <comments@localhost>") @NotBlank
            String from,

            @Nullable String replyTo,
            @DefaultValue("200") @Min(20) @Max(2000) int excerptLength,
            @DefaultValue("false") boolean notifyRejections,
            @DefaultValue @Valid @NotNull RateLimit rateLimit,
            @DefaultValue @Valid @NotNull MailRetry retry,
            @DefaultValue("30s") @NotNull Duration connectionIdleTimeout) {

        /** The Reply-To address, if one is configured. */
        public @Nullable String replyToOrNull() {
            return replyTo == null || replyTo.isBlank() ? null : replyTo;
        }
    }

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
     * The back-off of a mail the SMTP server did not take (growth and jitter: {@link Outbox}).
     *
     * @param initialBackoff first wait after a failed mail
     * @param maxBackoff     longest wait between mail attempts
     * @param giveUpAfter    a mail that could not be sent for this long is marked failed
     */
    public record MailRetry(
            @DefaultValue("10s") @NotNull Duration initialBackoff,
            @DefaultValue("15m") @NotNull Duration maxBackoff,
            @DefaultValue("3d") @NotNull Duration giveUpAfter) {}

    /**
     * Double opt-in: an address that asked for a kind of mail that needs confirmation ("published", "rejected",
     * replies) and has not confirmed gets one confirmation request, and nothing else, until it confirms; one
     * confirmation covers every such kind.
     *
     * @param linkValidity    how long the link of a confirmation request works; a mail waiting for the
     *                        confirmation is cancelled after as long
     * @param requestInterval at most one confirmation request per address per interval (fixed windows)
     */
    public record Confirmation(
            @DefaultValue("7d") @NotNull Duration linkValidity,
            @DefaultValue("1d") @NotNull Duration requestInterval) {}

    /**
     * The confirmation and unsubscribe links of the mails.
     *
     * @param publicUrl public base URL of this service, which those links point to (and the CloudEvents' source)
     * @param secret    HMAC key of those links; random per instance (with a warning) if unset
     */
    public record Links(
            @DefaultValue("http://localhost:8082")
            @NotBlank
            @Pattern(regexp = "https?://.+", message = "must be an http or https URL")
            String publicUrl,

            @Nullable String secret) {

        /** The public base URL without a trailing slash. */
        public String publicBaseUrl() {
            return publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
        }

        /** Without the secret: this record may end up in a log (binding errors, debugging). */
        @Override
        public String toString() {
            return "Links[publicUrl=" + publicUrl + ", secret=" + (secret == null ? "none" : "(set)") + "]";
        }
    }

    /**
     * The moderators' digest of held comments.
     *
     * @param moderators    addresses that get the digest; none: no digest
     * @param interval      at most one digest per this interval
     * @param moderationUrl link to a held comment for moderators; {@code {articleId}}, {@code {commentId}} replaced
     */
    public record Digest(
            @DefaultValue List<String> moderators,
            @DefaultValue("15m") @NotNull Duration interval,

            @DefaultValue("http://localhost:8081/moderation/comments/{commentId}")
            @NotBlank
            @Pattern(regexp = "https?://.+", message = "must be an http or https URL")
            String moderationUrl) {}

    /**
     * The webhooks: the site's configured ones and the calls to every webhook, configured or registered through the
     * API.
     *
     * @param configured the site's configured webhooks (read-only; more can be registered through the API)
     * @param refresh    how often each instance reloads the webhooks registered through the API
     * @param timeout    the deadline of one webhook call as a whole: DNS, connect, TLS, request, status and the whole
     *                   answer (a receiver trickling its answer is cut off)
     * @param policy     where webhooks may point to
     * @param retry      how a failed call is retried (growth and jitter: {@link Outbox})
     */
    public record Webhooks(
            @DefaultValue List<@Valid Webhook> configured,
            @DefaultValue("5s") @NotNull Duration refresh,
            @DefaultValue("10s") @NotNull Duration timeout,
            @DefaultValue @Valid @NotNull WebhookPolicy policy,
            @DefaultValue @Valid @NotNull WebhookRetry retry) {}

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
     * The back-off of a webhook call that failed.
     *
     * @param initialBackoff first wait after a failed webhook call
     * @param maxBackoff     longest wait between webhook attempts
     * @param maxAttempts    attempts before a webhook delivery is marked failed
     */
    public record WebhookRetry(
            @DefaultValue("5s") @NotNull Duration initialBackoff,
            @DefaultValue("10m") @NotNull Duration maxBackoff,
            @DefaultValue("8") @Min(1) @Max(100) int maxAttempts) {}

    /**
     * The outbox dispatcher: every {@code pollInterval} each worker of an instance claims up to {@code batchSize} due
     * deliveries of its channel at once, for {@code lease}; a claim whose lease ran out (crashed instance) is taken again. A failed
     * delivery waits its channel's initial back-off times {@code multiplier} per further attempt, at most its
     * channel's longest back-off, ± {@code jitter}.
     *
     * @param pollInterval how often each instance looks for due deliveries (and for a digest to send)
     * @param batchSize    deliveries claimed per look
     * @param lease        how long a claim holds
     * @param jitter       random share (0–1) added to or taken from each back-off
     * @param multiplier   back-off growth
     * @param retention    how long a finished delivery (sent, cancelled, or failed for good) is kept, with the mail it
     *                     sent: its key is what stops a redelivered event from sending it twice, so longer than the
     *                     topics keep their records (7 days by default); removed by an hourly sweep
     * @param mailWorkers  mail workers per instance, each with its own kept-open SMTP connection (webhooks have one)
     */
    public record Outbox(
            @DefaultValue("1s") @NotNull Duration pollInterval,
            @DefaultValue("50") @Min(1) @Max(1000) int batchSize,
            @DefaultValue("2m") @NotNull Duration lease,

            @DefaultValue("0.2") @DecimalMin("0.0") @DecimalMax("1.0")
            double jitter,

            @DefaultValue("2.0") @DecimalMin("1.0") double multiplier,
            @DefaultValue("30d") @NotNull Duration retention,
            @DefaultValue("4") @Min(1) @Max(64) int mailWorkers) {}

    /**
     * Kafka, beyond {@code spring.kafka.*}.
     *
     * @param topicPartitions partitions of the topics this service declares (the consumed topic and its dead letters)
     * @param topicReplicas   replication factor of those topics
     * @param retry           the back-off before a failing record goes to the dead-letter topic
     * @param consumers       consumers of {@code comments.moderated.v1} per instance, each with its partitions: a
     *                        decision waits on MongoDB several times, so more consumers overlap those waits
     */
    public record Kafka(
            @DefaultValue("6") @Min(1) int topicPartitions,
            @DefaultValue("1") @Min(1) short topicReplicas,
            @DefaultValue @Valid @NotNull KafkaRetry retry,
            @DefaultValue("3") @Min(1) @Max(64) int consumers) {}

    /**
     * @param store  how long the service waits for one MongoDB operation
     * @param health how long the Kafka and MongoDB health checks wait for an answer
     */
    public record Timeouts(
            @DefaultValue("10s") @NotNull Duration store,
            @DefaultValue("3s") @NotNull Duration health) {}

    /**
     * What readers, who have no account but an address, can do about their data: ask for a link by mail, download
     * what the site holds about the address, have it erased.
     *
     * @param addressSecret  HMAC key (16+ characters) that addresses are stored under (recipients, delivery keys,
     *                       rate windows, exports); random per instance, with a warning, when unset. Never change it
     *                       once set: what was stored under the old key is no longer found by address
     * @param linkValidity   how long the link of a privacy mail works
     * @param mailInterval   at most one privacy mail per address per this interval, whoever asks
     * @param perClient      privacy requests ({@code POST /api/privacy/requests}) per client address, per instance
     * @param maxClients     client addresses whose requests are counted at once (older ones are forgotten)
     * @param clientIp       how the client address is found behind a reverse proxy
     * @param exportServices the services whose parts an export waits for (each answers {@code PrivacyExportRequested})
     * @param exportTimeout  after this long an export still missing a service's parts says so
     * @param exportMaxSize  the most an export keeps of the services' parts; beyond it parts are left out, and the
     *                       export says so
     * @param publishTimeout how long a request waits for Kafka to take the export or erasure event
     */
    public record Privacy(
            @Nullable String addressSecret,
            @DefaultValue("24h") @NotNull Duration linkValidity,
            @DefaultValue("24h") @NotNull Duration mailInterval,
            @DefaultValue @Valid @NotNull ClientLimit perClient,
            @DefaultValue("100000") @Min(1) int maxClients,
            @DefaultValue @Valid @NotNull ClientIp clientIp,
            @DefaultValue("moderation-service") List<String> exportServices,
            @DefaultValue("10m") @NotNull Duration exportTimeout,
            @DefaultValue("64MB") @NotNull DataSize exportMaxSize,
            @DefaultValue("10s") @NotNull Duration publishTimeout) {

        /** Without the secret: this record may end up in a log (binding errors, debugging). */
        @Override
        public String toString() {
            return "Privacy[addressSecret=" + (addressSecret == null ? "none" : "(set)") + ", linkValidity="
                    + linkValidity + ", mailInterval=" + mailInterval + ", perClient=" + perClient
                    + ", exportServices=" + exportServices + "]";
        }
    }

    /**
     * A token bucket: {@code capacity} requests, refilled at {@code capacity} per {@code period}.
     *
     * @param capacity requests in a burst, and per period
     * @param period   how long the bucket takes to refill
     */
    public record ClientLimit(
            @DefaultValue("5") @Min(1) int capacity,
            @DefaultValue("1h") @NotNull Duration period) {}

    /**
     * The client address of a request: the peer, unless the peer is a trusted proxy; then the right-most address of
     * {@code header} that is not a trusted proxy. Without these behind a proxy, every reader shares the proxy's limit.
     *
     * @param header         e.g. {@code X-Forwarded-For}; empty: the peer address is the client
     * @param trustedProxies addresses or CIDR ranges of the proxies whose header is believed
     */
    public record ClientIp(
            @Nullable String header, @DefaultValue List<String> trustedProxies) {

        /** Who the client of a request is, by these settings. */
        public ClientAddressResolver resolver() {
            return new ClientAddressResolver("notification.privacy.client-ip", header, trustedProxies);
        }
    }
}
