package dev.talkback.notification.digest;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import dev.talkback.notification.NotificationProperties;
import dev.talkback.notification.mail.MailAddresses;
import dev.talkback.notification.mail.MailOutbox;
import dev.talkback.notification.mail.MailText;
import jakarta.mail.internet.InternetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Sends the moderators' digest. Every poll interval each instance checks for held comments not listed yet; if
 * there are some, it tries to claim the digest slot: one {@code findAndModify} on the single document
 * {@code digest_state/moderators} that matches only when {@code nextAt <= now} and moves {@code nextAt} one
 * interval ahead. Only the winner writes the digest (one outbox mail per moderator, keyed by the digest number),
 * then marks the listed comments. So at most one digest per interval, whatever the number of instances. A crash
 * after the claim and before the outbox write loses nothing (the comments stay unlisted, the next interval lists
 * them); a crash after the outbox write and before the marking lists them again in the next digest.
 */
@Component
class DigestScheduler implements SchedulingConfigurer {

    static final String KIND = "moderation-digest";
    private static final int MAX_LISTED = 100;
    private static final Logger log = LoggerFactory.getLogger(DigestScheduler.class);

    @Document("digest_state")
    record DigestState(@Id String id, Instant nextAt, long number) {}

    private final HeldQueue queue;
    private final MailOutbox outbox;
    private final ReactiveMongoTemplate mongo;
    private final NotificationProperties properties;
    private final List<InternetAddress> moderators;
    private final Clock clock = Clock.systemUTC();

    DigestScheduler(
            HeldQueue queue, MailOutbox outbox, ReactiveMongoTemplate mongo, NotificationProperties properties) {
        this.queue = queue;
        this.outbox = outbox;
        this.mongo = mongo;
        this.properties = properties;
        this.moderators = properties.digest().moderators().stream()
                .map(m -> MailAddresses.recipient(m)
                        .orElseThrow(() ->
                                new IllegalArgumentException("notification.digest.moderators: not a bare address")))
                .toList();
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        if (!moderators.isEmpty()) {
            Duration period = properties.outbox().pollInterval();
            tasks.addFixedDelayTask(new FixedDelayTask(this::poll, period, period));
        }
    }

    void poll() {
        try {
            if (!queue.hasUnlisted()) {
                return;
            }
            Long number = claim();
            if (number == null) {
                return;
            }
            List<HeldQueue.HeldComment> held = queue.unlisted(MAX_LISTED);
            if (held.isEmpty()) {
                return;
            }
            MailOutbox.Draft draft = render(held);
            UUID eventId = UUID.nameUUIDFromBytes(("digest-" + number).getBytes(StandardCharsets.UTF_8));
            for (InternetAddress moderator : moderators) {
                outbox.record(
                        new MailOutbox.Draft(
                                KIND, subject(number), KIND, false, draft.subject(), draft.text(), draft.html()),
                        moderator,
                        eventId);
            }
            queue.markListed(held, number);
            log.info(
                    "Moderation digest {} recorded: {} held comment(s), {} moderator(s)",
                    number,
                    held.size(),
                    moderators.size());
        } catch (RuntimeException ex) {
            log.warn(
                    "Moderation digest failed ({}); the next poll tries again",
                    ex.getClass().getName());
        }
    }

    /** What a digest's mails are about, in their delivery key: {@code digest-<number>}. */
    static String subject(long number) {
        return "digest-" + number;
    }

    /** The number of the digest this instance may send now, or {@code null} when the interval is not over. */
    private @Nullable Long claim() {
        Duration timeout = properties.timeouts().store();
        Instant now = clock.instant();
        try {
            mongo.insert(new DigestState("moderators", Instant.EPOCH, 0)).block(timeout);
        } catch (DuplicateKeyException exists) {
            // the usual case
        }
        DigestState state = mongo.findAndModify(
                        query(where("_id").is("moderators").and("nextAt").lte(now)),
                        new Update()
                                .set("nextAt", now.plus(properties.digest().interval()))
                                .inc("number", 1),
                        FindAndModifyOptions.options().returnNew(true),
                        DigestState.class)
                .block(timeout);
        return state == null ? null : state.number();
    }

    private MailOutbox.Draft render(List<HeldQueue.HeldComment> held) {
        String site = MailText.singleLine(properties.site().name(), 100);
        String subject =
                held.size() + (held.size() == 1 ? " comment waits" : " comments wait") + " for moderation on " + site;
        StringBuilder text = new StringBuilder("Hello,\n\nthese comments on " + site + " wait for a moderator:\n\n");
        StringBuilder html = new StringBuilder(
                "<p>Hello,</p>\n<p>these comments on " + MailText.escape(site) + " wait for a moderator:</p>\n<ul>\n");
        for (HeldQueue.HeldComment comment : held) {
            String link = MailText.link(properties.digest().moderationUrl(), comment.articleId(), comment.id());
            String who =
                    comment.authorName() == null || comment.authorName().isEmpty() ? "(no name)" : comment.authorName();
            String article = MailText.singleLine(comment.articleId(), 100);
            text.append("- ")
                    .append(who)
                    .append(" on ")
                    .append(article)
                    .append(": \"")
                    .append(comment.excerpt())
                    .append("\"\n  ")
                    .append(link)
                    .append("\n");
            html.append("<li>")
                    .append(MailText.escape(who))
                    .append(" on ")
                    .append(MailText.escape(article))
                    .append(": “")
                    .append(MailText.escape(comment.excerpt()))
                    .append("” — <a href=\"")
                    .append(MailText.escape(link))
                    .append("\">moderate</a></li>\n");
        }
        text.append("\nYou receive this digest at most once every ")
                .append(properties.digest().interval().toString().substring(2).toLowerCase(java.util.Locale.ROOT))
                .append(".\n");
        html.append("</ul>\n");
        return new MailOutbox.Draft(KIND, "", KIND, false, subject, text.toString(), html.toString());
    }
}
