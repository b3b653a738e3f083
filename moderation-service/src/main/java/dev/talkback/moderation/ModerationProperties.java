package dev.talkback.moderation;

import dev.talkback.support.kafka.KafkaRetry;
import dev.talkback.support.security.TokenRules;
import dev.talkback.support.security.TokenSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Every setting of moderation-service ({@code moderation.*}); each has a default. See the module's README.
 *
 * @param maxLinks           links a comment may contain before it is held for a moderator
 * @param bannedWords        words that get a comment rejected (matched on whole, normalised words)
 * @param topicPartitions    partitions of the topics this service declares (and of their dead-letter topics)
 * @param topicReplicas      replication factor of those topics
 * @param storeTimeout       longest wait for one MongoDB operation in the listener
 * @param publishTimeout     longest wait for Kafka to acknowledge a published decision
 * @param healthTimeout      longest wait of the Kafka and MongoDB health checks
 * @param retry              back-off of a failed record before it goes to the dead-letter topic
 * @param security           how the moderator API checks bearer tokens
 * @param rulesRefresh       how often every instance re-reads settings and bans from MongoDB
 * @param republishAfter     how long a stored human decision may stay unpublished before the re-publisher sends it
 * @param claimDuration      how long a claim holds a comment for one moderator
 * @param suspectWords       words that get a comment held (site default when the site settings have none)
 * @param spam               the spam thresholds used when neither site nor article settings set them
 * @param dns                the mail-domain check (MX, else A/AAAA)
 * @param model              learning from moderators' labels
 * @param deadLetters        the administrators' list and re-drive of dead letters
 * @param floods             the flood limits used when neither site nor article settings set them
 * @param engineBudget       the most CPU time one automatic decision may take; a comment that needs more is held for a
 *                           moderator (rule {@code engine.budget}) instead of holding up the comments behind it
 * @param console            the moderator console at {@code /moderate/}
 * @param reports            when readers' reports put a published comment in front of the moderators
 * @param statements         what the statement of reasons of a rejection tells its author by default
 * @param privacy            how personal data is keyed, how long it is kept, and what an erasure leaves of a comment
 */
@ConfigurationProperties("moderation")
@Validated
public record ModerationProperties(
        @DefaultValue("3") @PositiveOrZero int maxLinks,
        @DefaultValue List<String> bannedWords,
        @DefaultValue("6") @Positive int topicPartitions,
        @DefaultValue("1") @Positive short topicReplicas,
        @DefaultValue("10s") @NotNull Duration storeTimeout,
        @DefaultValue("10s") @NotNull Duration publishTimeout,
        @DefaultValue("3s") @NotNull Duration healthTimeout,
        @DefaultValue @Valid KafkaRetry retry,
        @DefaultValue @Valid TokenSettings security,
        @DefaultValue("2s") @NotNull Duration rulesRefresh,
        @DefaultValue("10s") @NotNull Duration republishAfter,
        @DefaultValue("5m") @NotNull Duration claimDuration,
        @DefaultValue List<String> suspectWords,
        @DefaultValue @Valid Spam spam,
        @DefaultValue @Valid Dns dns,
        @DefaultValue @Valid Model model,
        @DefaultValue @Valid DeadLetters deadLetters,
        @DefaultValue @Valid Floods floods,
        @DefaultValue("100ms") @NotNull Duration engineBudget,
        @DefaultValue @Valid Console console,
        @DefaultValue @Valid Reports reports,
        @DefaultValue @Valid Statements statements,
        @DefaultValue @Valid Privacy privacy) {

    public ModerationProperties {
        security = security.withDefaultAudience(TokenRules.MODERATION_AUDIENCE);
    }

    /**
     * How many comments one address, or one client IP, may send in the window before the next is held. Behind a
     * proxy, set comment-service's trusted client-IP header, or every reader shares the proxy's address.
     */
    public record Floods(
            @DefaultValue("10m") @NotNull Duration window,
            @DefaultValue("5") @Positive int maxPerEmail,
            @DefaultValue("20") @Positive int maxPerIp) {}

    /**
     * When readers' reports move a published comment into the {@code REPORTED} queue: once {@code threshold} distinct
     * client addresses reported it, or {@code noticeThreshold} filed a notice of illegal content. It stays published
     * until a moderator decides, unless {@code hideWhileReported}: then it is held meanwhile (rule
     * {@code reports.hidden}), and the moderator's decision publishes it again or not.
     */
    public record Reports(
            @DefaultValue("3") @Positive int threshold,
            @DefaultValue("1") @Positive int noticeThreshold,
            @DefaultValue("false") boolean hideWhileReported) {}

    /**
     * The statement of reasons a rejected comment's author gets (Digital Services Act, Art. 17).
     *
     * @param termsReference the clause of the site's terms an automatic rejection, or a moderator's rejection that names
     *                       no ground, relies on
     * @param redress        how an author can contest a decision: the site's complaint address, and the ways the law
     *                       gives
     */
    public record Statements(
            @DefaultValue("the site's comment rules") @NotBlank
            String termsReference,

            @DefaultValue("You can contest this decision by writing to the site's editors, through a certified"
                    + " out-of-court dispute settlement body, or in court.")
            @NotBlank
            String redress) {}

    /**
     * Personal data (GDPR): addresses are looked up by a keyed hash, the author's address, IP address and user agent
     * are kept with a comment only for a while, and an erasure at the author's request leaves what the site chooses.
     *
     * @param addressSecret       the site secret (at least 16 characters) addresses are keyed by (HMAC-SHA256) in
     *                            author history, floods and duplicate checks: the same on every instance and across
     *                            restarts; empty: a random key per start, with a warning (lookups by address then stop
     *                            matching what was stored before)
     * @param clientDataRetention how long after a comment is stored its author's address, IP address and user agent
     *                            are kept (for the moderators, bans and the author's mail), and a reader's IP address
     *                            with a report (to count distinct reporters)
     * @param erasedComments      what an erasure leaves of the address's comments
     */
    public record Privacy(
            @DefaultValue("") String addressSecret,
            @DefaultValue("90d") @NotNull Duration clientDataRetention,
            @DefaultValue("ANONYMISE") @NotNull ErasedComments erasedComments) {

        /** At least a minute: MongoDB removes expired documents once a minute, and a TTL of 0 means "at the date". */
        @AssertTrue(message = "clientDataRetention must be at least one minute")
        public boolean isRetentionLongEnough() {
            return clientDataRetention != null && clientDataRetention.compareTo(Duration.ofMinutes(1)) >= 0;
        }

        /** Without the secret. */
        @Override
        public String toString() {
            return "Privacy[addressSecret=" + (addressSecret.isBlank() ? "(none)" : "(set)") + ", clientDataRetention="
                    + clientDataRetention + ", erasedComments=" + erasedComments + "]";
        }
    }

    /** What an erasure at the author's request leaves of their comments. */
    public enum ErasedComments {
        /**
         * A published comment stays published as an authorless "[deleted]" entry without text, so that the replies
         * keep their place in the thread; a held or rejected one is rejected.
         */
        ANONYMISE,
        /** Every one is rejected: readers no longer see it (replies to it lose their parent). */
        REMOVE
    }

    /**
     * Spam-probability thresholds of the site when its settings set none: below {@code approveBelow} approved, from
     * {@code rejectFrom} rejected, in between held.
     */
    public record Spam(
            @DefaultValue("0.25") @DecimalMin("0.0") @DecimalMax("1.0")
            double approveBelow,

            @DefaultValue("0.80") @DecimalMin("0.0") @DecimalMax("1.0")
            double rejectFrom) {

        @AssertTrue(message = "approveBelow must not be greater than rejectFrom")
        public boolean isOrdered() {
            return approveBelow <= rejectFrom;
        }
    }

    /**
     * The author's mail domain must receive mail: MX records, else A/AAAA. Non-blocking (Netty) resolver behind a
     * timeout and a cache; when DNS does not answer the settings' {@code dnsUnavailable} verdict applies (HOLD).
     *
     * @param enabled    false: domains are not checked at all (no DNS in the local stack and the system tests)
     * @param servers    DNS servers as {@code host} or {@code host:port}; empty = the system's (resolv.conf)
     * @param timeout    longest wait for one domain (MX, then A, then AAAA)
     * @param ttl        how long an answer is cached
     * @param failureTtl how long "no answer" is cached, so that an outage is retried soon
     * @param cacheSize  domains cached at most
     */
    public record Dns(
            @DefaultValue("true") boolean enabled,
            @DefaultValue List<String> servers,
            @DefaultValue("2s") @NotNull Duration timeout,
            @DefaultValue("1h") @NotNull Duration ttl,
            @DefaultValue("1m") @NotNull Duration failureTtl,
            @DefaultValue("100000") @Positive int cacheSize) {}

    /**
     * The spam and abuse models learn from moderators: each shipped model retrained with every comment labelled for it.
     *
     * @param retrainInterval how often each instance checks the labels and retrains when they changed
     */
    public record Model(@DefaultValue("5m") @NotNull Duration retrainInterval) {}

    /**
     * Listing and re-driving dead letters ({@code /api/moderation/dead-letters}).
     *
     * @param readTimeout   longest a list or re-drive request reads the dead-letter topics; a list cut short says
     *                      where to go on
     * @param maxValueChars a listed value (and exception message) is cut to this many characters
     * @param maxRedrive    dead letters one {@code all: true} re-drive request handles at most
     */
    public record DeadLetters(
            @DefaultValue("5s") @NotNull Duration readTimeout,
            @DefaultValue("4096") @Positive int maxValueChars,
            @DefaultValue("1000") @Positive int maxRedrive) {}

    /**
     * The moderator console served at {@code /moderate/}. In production it signs moderators in at the identity provider
     * the API trusts ({@code spring.security.oauth2.resourceserver.jwt.issuer-uri}) with the authorization code flow and
     * PKCE, as a public client registered there with the redirect URI {@code https://<this host>/moderate/}.
     *
     * @param clientId           the console's client id at the identity provider; empty = no provider sign-in
     * @param scope              the scopes the console asks for
     * @param articleUrl         where readers read an article, with {@code {articleId}}, e.g.
     *                           {@code https://news.example/articles/{articleId}}; empty = articles are not linked
     * @param maxStreams         live queue streams (one per open console) this instance serves at once
     * @param localTokenLifetime how long a token from the local stack's sign-in form lasts
     */
    public record Console(
            @DefaultValue("") String clientId,
            @DefaultValue("openid profile") @NotBlank String scope,
            @DefaultValue("") String articleUrl,
            @DefaultValue("200") @Positive int maxStreams,
            @DefaultValue("30m") @NotNull Duration localTokenLifetime) {}
}
