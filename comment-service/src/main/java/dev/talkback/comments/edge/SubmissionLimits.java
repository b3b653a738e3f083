package dev.talkback.comments.edge;

import dev.talkback.comments.CommentsProperties;
import dev.talkback.support.web.ApiProblem;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The limits on posted comments per e-mail address and per article, taken once a comment is known to be valid and
 * before it is published: one person (or a script) cannot flood the moderation queue under fresh addresses, and no
 * article's thread can be flooded from many addresses. The per-client-address limit is {@link RateLimitFilter}'s.
 */
@Component
public class SubmissionLimits {

    private final KeyedBuckets perEmail;
    private final KeyedBuckets perArticle;

    SubmissionLimits(CommentsProperties properties) {
        CommentsProperties.RateLimits limits = properties.rateLimits();
        this.perEmail = new KeyedBuckets(limits.perEmail(), limits.maxKeys());
        this.perArticle = new KeyedBuckets(limits.perArticle(), limits.maxKeys());
    }

    /** @throws ApiProblem {@code 429} with {@code Retry-After} when the author or the article has posted too much */
    public void check(String articleId, String email) {
        Duration wait = perEmail.take(email.toLowerCase(Locale.ROOT));
        if (wait != null) {
            throw RateLimitFilter.tooManyRequests("You are posting too fast.", wait);
        }
        @Nullable Duration articleWait = perArticle.take(articleId);
        if (articleWait != null) {
            throw RateLimitFilter.tooManyRequests(
                    "This article is receiving too many comments right now.", articleWait);
        }
    }
}
