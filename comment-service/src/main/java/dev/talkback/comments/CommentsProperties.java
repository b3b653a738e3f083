package dev.talkback.comments;

import dev.talkback.engine.ModerationSettings;
import dev.talkback.support.kafka.KafkaRetry;
import dev.talkback.support.web.ClientAddressResolver;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Every setting of comment-service, prefix {@code comments}. Each one has a default; see the module README.
 *
 * @param maxBodySize         largest accepted POST body; larger bodies get 413 (checked on Content-Length and while reading)
 * @param publishTimeout      how long the intake waits for Kafka's acknowledgement before answering 503
 * @param retryAfter          the {@code Retry-After} sent with a 503
 * @param statusTokenSecret   HMAC key of the status tokens; when unset a random key is generated at start-up
 *                            (tokens then die with the process and differ between instances)
 * @param topicPartitions     partitions of the topics this service declares
 * @param topicReplicas       replication factor of the topics this service declares
 * @param healthTimeout       how long the Kafka and MongoDB health checks wait for an answer
 * @param maxRepliesPerArticle upper bound of replies loaded to build the threads of one article page
 * @param clientIp            where the client IP comes from
 * @param retry               back-off of the read-model listener before a record goes to the dead-letter topic
 * @param allowedOrigins      origins of the sites that embed the widget: they get CORS headers on the reader API
 *                            ({@code /api/**}, including the live stream); requests from other origins do not
 * @param demoArticleId       the article that {@code /} redirects to: the site's sample article, served with the widget
 * @param stream              the live stream of published comments (Server-Sent Events)
 * @param pageCacheTtl        how long a computed page of an article's comments is served again to other readers; any
 *                            change of the article's visible comments evicts its pages at once, on every instance, so
 *                            this only bounds staleness should an eviction be missed; {@code 0s} turns the cache off
 * @param readTimeout         how long building a page of an article's comments may wait for the read model; then the
 *                            readers get {@code 503} with {@code Retry-After} instead of a request that hangs (and the
 *                            failed page is not cached)
 * @param rateLimits          requests per client address, e-mail address and article (token buckets, per instance)
 * @param streamLimits        bounds of the live streams: how many, how long, how much buffered and replayed
 * @param timeouts            how long a request may take to arrive, against connections that trickle bytes (slowloris)
 * @param page                the size of what one read of an article's comments carries and caches, and threads' depth
 * @param nudge               the "think again" check of a draft against the abuse model, before it is posted
 */
@ConfigurationProperties("comments")
@Validated
public record CommentsProperties(
        @DefaultValue("64KB") @NotNull DataSize maxBodySize,
        @DefaultValue("5s") @NotNull Duration publishTimeout,
        @DefaultValue("10s") @NotNull Duration retryAfter,
        @Nullable String statusTokenSecret,
        @DefaultValue("6") @Min(1) int topicPartitions,
        @DefaultValue("1") @Min(1) @Max(Short.MAX_VALUE) int topicReplicas,
        @DefaultValue("2s") @NotNull Duration healthTimeout,
        @DefaultValue("10000") @Min(1) int maxRepliesPerArticle,
        @DefaultValue @Valid @NotNull ClientIp clientIp,
        @DefaultValue @Valid @NotNull KafkaRetry retry,
        @DefaultValue("http://localhost:8080") @NotNull List<String> allowedOrigins,
        @DefaultValue("us-sees-japan-s-korea-thaw") @NotNull String demoArticleId,
        @DefaultValue @Valid @NotNull Stream stream,
        @DefaultValue("10s") @NotNull Duration pageCacheTtl,
        @DefaultValue("5s") @NotNull Duration readTimeout,
        @DefaultValue @Valid @NotNull RateLimits rateLimits,
        @DefaultValue @Valid @NotNull StreamLimits streamLimits,
        @DefaultValue @Valid @NotNull Timeouts timeouts,
        @DefaultValue @Valid @NotNull Page page,
        @DefaultValue @Valid @NotNull Nudge nudge) {

    /**
     * Token buckets, kept per instance: behind a load balancer each instance counts on its own, so a client may
     * reach N times these limits across N instances. The client address is the one {@link ClientIp} resolves.
     *
     * @param perAddress  comments posted per client address, checked before the body is read
     * @param perEmail    comments posted per e-mail address (case-insensitive), checked before publishing
     * @param perArticle  comments posted per article, whoever posts them, checked before publishing
     * @param reads       every other request to the reader API ({@code /api/**}: pages, status checks, stream
     *                    opens) per client address; a widget makes a few per minute, a reader behind a shared
     *                    address (an office, a mobile carrier) shares it
     * @param checks      drafts checked by the nudge ({@code POST /api/articles/{articleId}/comments/check}) per
     *                    client address, checked before the body is read; apart from the posts, so that checking
     *                    never uses up the posting allowance (a widget checks once per post, or again after an edit)
     * @param maxKeys     most buckets kept per kind; a bucket unused for its period is full again and forgotten, so
     *                    only more distinct clients than this within one period make a bucket start over early
     */
    public record RateLimits(
            @Valid @NotNull Limit perAddress,
            @Valid @NotNull Limit perEmail,
            @Valid @NotNull Limit perArticle,
            @Valid @NotNull Limit reads,
            @Valid @NotNull Limit checks,
            @Valid @NotNull Limit reports,
            @DefaultValue("100000") @Min(1) int maxKeys) {

        /** The defaults (an overridden limit names both its capacity and its period). */
        public RateLimits {
            perAddress = perAddress != null ? perAddress : new Limit(5, Duration.ofMinutes(1));
            perEmail = perEmail != null ? perEmail : new Limit(5, Duration.ofMinutes(1));
            perArticle = perArticle != null ? perArticle : new Limit(300, Duration.ofMinutes(1));
            reads = reads != null ? reads : new Limit(600, Duration.ofMinutes(1));
            checks = checks != null ? checks : new Limit(20, Duration.ofMinutes(1));
            reports = reports != null ? reports : new Limit(10, Duration.ofHours(1));
        }

        /**
         * A bucket of {@code capacity} requests, refilled at {@code capacity} per {@code period}, one at a time: a
         * burst of {@code capacity}, then one every {@code period / capacity}.
         */
        public record Limit(@Min(1) long capacity, @NotNull Duration period) {}
    }

    /**
     * @param maxPerAddress most open streams per client address on this instance (a reader with several tabs, or
     *                      several readers behind one address); more get {@code 429}
     * @param maxStreams    most open streams on this instance; more get {@code 429}
     * @param maxLifetime   a stream is ended after this long; the browser reconnects with {@code Last-Event-ID} and
     *                      misses nothing, and a connection cannot be held forever
     * @param buffer        most events waiting for a slow reader; a reader that falls further behind is
     *                      disconnected (it reconnects and resumes from the read model) instead of growing memory
     * @param replayWindow  how far back a {@code Last-Event-ID} is resumed; an older one (or one with more than
     *                      {@code comments.stream.max-replay} changes since) gets a {@code reload} event instead: the
     *                      client reads the comments afresh
     */
    public record StreamLimits(
            @DefaultValue("20") @Min(1) int maxPerAddress,
            @DefaultValue("10000") @Min(1) int maxStreams,
            @DefaultValue("30m") @NotNull Duration maxLifetime,
            @DefaultValue("256") @Min(1) int buffer,
            @DefaultValue("10m") @NotNull Duration replayWindow) {}

    /**
     * Next to {@code server.netty.idle-timeout} (a connection that sends nothing between requests):
     *
     * @param requestHead a request line and headers must have arrived this long after their first byte, or the
     *                    connection is closed (a client that trickles a header byte now and then would otherwise hold
     *                    it for hours)
     * @param body        longest time to receive a whole request body once its head is in (a body that stops, or
     *                    trickles in, is answered {@code 408} and its connection closed)
     */
    public record Timeouts(
            @DefaultValue("10s") @NotNull Duration requestHead,
            @DefaultValue("30s") @NotNull Duration body) {}

    /**
     * @param cacheMaxSize     most memory the built pages of this instance may take (estimated from their content);
     *                         the least used pages are dropped beyond it
     * @param maxReplies       most replies one answer carries, a page of comments (all its threads together) or a
     *                         batch of a thread's further replies; the rest is reachable by the thread's
     *                         {@code repliesNext} cursor
     * @param repliesPerThread most replies of one thread shown on a page of comments before "more replies"
     * @param maxReplyDepth    deepest nesting of replies below a top-level comment; a deeper reply is shown next to
     *                         its ancestor at this depth (under the ancestor one level up), its {@code parentId}
     *                         unchanged; at most 50, far below the JSON nesting limit of the serializer (500)
     */
    public record Page(
            @DefaultValue("64MB") @NotNull DataSize cacheMaxSize,
            @DefaultValue("200") @Min(1) @Max(10_000) int maxReplies,
            @DefaultValue("20") @Min(0) @Max(10_000) int repliesPerThread,
            @DefaultValue("5") @Min(1) @Max(50) int maxReplyDepth) {}

    /**
     * The "think again" nudge: the widget asks for the abuse categories of a draft before posting it and, when one is
     * found, shows a gentle prompt; the author may still post. Nothing is stored or published by a check.
     *
     * @param enabled   whether {@code POST /api/articles/{articleId}/comments/check} answers (else {@code 404}, and the
     *                  widget stops asking); when enabled, the shipped abuse model is trained at start-up
     * @param holdFrom  the score from which a category is named to the author: by default the engine's abuse hold
     *                  threshold ({@code ModerationSettings.DEFAULT_ABUSE_HOLD_FROM}), the one moderation-service holds
     *                  from unless the site sets its own; a site that does should set the same here
     * @param threads   threads that score drafts (CPU work, off the event loop)
     * @param maxQueued drafts waiting for one of these threads; beyond them a check answers {@code 503}
     */
    public record Nudge(
            @DefaultValue("false") boolean enabled,

            @DefaultValue("" + ModerationSettings.DEFAULT_ABUSE_HOLD_FROM)
            @DecimalMin(value = "0.0", inclusive = false)
            @DecimalMax("1.0")
            double holdFrom,

            @DefaultValue("2") @Min(1) @Max(64) int threads,
            @DefaultValue("100") @Min(1) int maxQueued) {}

    /**
     * @param heartbeat     interval of the comment lines sent on an idle stream, so that proxies keep it open
     * @param resumeOverlap how far before the {@code Last-Event-ID} a resumed stream starts replaying: a comment applied
     *                      to the read model just before the last one the client saw, but broadcast after it, is not
     *                      lost (clients ignore a comment id they already show)
     * @param maxReplay     most events replayed on a resume
     * @param readModelWait how long the live fan-out waits for the read model to hold a decision it heard of
     */
    public record Stream(
            @DefaultValue("15s") @NotNull Duration heartbeat,
            @DefaultValue("5s") @NotNull Duration resumeOverlap,
            @DefaultValue("500") @Min(1) int maxReplay,
            @DefaultValue("10s") @NotNull Duration readModelWait) {}

    /**
     * @param header         request header holding the client address set by a reverse proxy (e.g.
     *                       {@code X-Forwarded-For}); empty means none: the direct peer address is used
     * @param trustedProxies addresses or CIDR ranges of the proxies whose header is believed; the header is ignored
     *                       when the direct peer is not one of them
     */
    public record ClientIp(
            @DefaultValue("") String header, @DefaultValue List<String> trustedProxies) {

        /** Who the client of a request is, by these settings. */
        public ClientAddressResolver resolver() {
            return new ClientAddressResolver("comments.client-ip", header, trustedProxies);
        }
    }
}
