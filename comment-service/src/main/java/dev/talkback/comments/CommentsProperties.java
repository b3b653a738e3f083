package dev.talkback.comments;

import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

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
 * @param kafkaHealthTimeout  how long the Kafka health check waits for the cluster
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
 * @param page                the size of what one read of an article's comments carries and caches, and threads' depth
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
        @DefaultValue("2s") @NotNull Duration kafkaHealthTimeout,
        @DefaultValue("10000") @Min(1) int maxRepliesPerArticle,
        @DefaultValue @Valid @NotNull ClientIp clientIp,
        @DefaultValue @Valid @NotNull Retry retry,
        @DefaultValue("http://localhost:8080") @NotNull List<String> allowedOrigins,
        @DefaultValue("us-sees-japan-s-korea-thaw") @NotNull String demoArticleId,
        @DefaultValue @Valid @NotNull Stream stream,
        @DefaultValue("10s") @NotNull Duration pageCacheTtl,
        @DefaultValue("5s") @NotNull Duration readTimeout,
        @DefaultValue @Valid @NotNull Page page) {

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
            @DefaultValue("5") @Min(1) @Max(50) int maxReplyDepth) {
    }

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
            @DefaultValue("10s") @NotNull Duration readModelWait) {
    }

    /**
     * @param header         request header holding the client address set by a reverse proxy (e.g.
     *                       {@code X-Forwarded-For}); empty means none: the direct peer address is used
     * @param trustedProxies addresses or CIDR ranges of the proxies whose header is believed; the header is ignored
     *                       when the direct peer is not one of them
     */
    public record ClientIp(@DefaultValue("") String header, @DefaultValue List<String> trustedProxies) {
    }

    /**
     * @param initialInterval first pause after a failed record
     * @param multiplier      growth of the pause
     * @param maxInterval     longest pause
     * @param maxRetries      retries before the record goes to the dead-letter topic
     */
    public record Retry(
            @DefaultValue("200ms") @NotNull Duration initialInterval,
            @DefaultValue("2.0") @DecimalMin("1.0") double multiplier,
            @DefaultValue("2s") @NotNull Duration maxInterval,
            @DefaultValue("4") @Min(0) int maxRetries) {
    }
}
