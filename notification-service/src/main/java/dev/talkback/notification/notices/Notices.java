package dev.talkback.notification.notices;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import dev.talkback.events.CommentModerated;
import dev.talkback.events.CommentModerated.Outcome;
import dev.talkback.events.CommentReported;
import dev.talkback.events.Topics;
import dev.talkback.notification.NotificationProperties;
import dev.talkback.notification.PersonalData;
import dev.talkback.notification.kafka.CommentModeratedHandler;
import dev.talkback.notification.mail.MailAddresses;
import dev.talkback.notification.mail.MailOutbox;
import dev.talkback.notification.mail.MailText;
import dev.talkback.notification.optin.Confirmations;
import dev.talkback.notification.subscription.Recipients;
import dev.talkback.support.mongo.CollectionIndexes;
import jakarta.mail.internet.InternetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.data.annotation.Id;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * The notifier of a notice of illegal content is told, by mail, that it was received (Art. 16(4)) and, once a
 * moderator decided on the comment, what was decided and how to contest it (Art. 16(5)). The notice form is open to
 * anyone, who can type anyone's address: so, as for authors, an unconfirmed address gets a confirmation request and
 * the mails wait for it. Each mail is recorded once per notice (its report id), so a redelivered event sends nothing
 * twice. The notifier's contact is kept (collection {@code notice_contacts}) until the decision is told, or until the
 * notifier has it erased ({@link PersonalData}).
 */
@Component
class Notices implements CommentModeratedHandler, PersonalData {

    static final String RECEIVED_KIND = "notice-received";
    static final String DECIDED_KIND = "notice-decided";
    /** What an unsubscribe link of these mails stops. */
    static final String LIST_KIND = "notice";

    private static final Logger log = LoggerFactory.getLogger(Notices.class);
    private static final int MAX_EXCERPT = 300;

    @Document("notice_contacts")
    record Contact(
            @Id String reportId,
            String commentId,
            String articleId,
            String name,
            String email,
            String explanation,
            Instant receivedAt) {}

    private final ReactiveMongoTemplate mongo;
    private final MailOutbox outbox;
    private final Confirmations confirmations;
    private final Duration timeout;
    private final String siteName;
    private final String commentUrl;

    Notices(
            ReactiveMongoTemplate mongo,
            MailOutbox outbox,
            Confirmations confirmations,
            NotificationProperties properties) {
        this.mongo = mongo;
        this.outbox = outbox;
        this.confirmations = confirmations;
        this.timeout = properties.timeouts().store();
        this.siteName = MailText.singleLine(properties.site().name(), 100);
        this.commentUrl = properties.site().commentUrl();
    }

    /** Consumes {@code comments.reported.v1}; only notices of illegal content concern this service. */
    @KafkaListener(id = "reported-comments", idIsGroup = false, topics = Topics.COMMENTS_REPORTED)
    void onReported(CommentReported event) {
        CommentReported.Notice notice = event.notice();
        if (notice == null) {
            return;
        }
        Optional<InternetAddress> to = MailAddresses.recipient(notice.email());
        if (to.isEmpty()) {
            log.warn(
                    "Notice {} on comment {}: the notifier's address is unusable, no mail",
                    event.reportId(),
                    event.commentId());
            return;
        }
        var contact = new Contact(
                event.reportId(),
                event.commentId(),
                event.articleId(),
                MailText.singleLine(notice.name(), 100),
                to.get().getAddress(),
                MailText.excerpt(notice.explanation(), MAX_EXCERPT),
                event.occurredAt());
        mongo.save(contact).block(timeout);
        String link = MailText.link(commentUrl, event.articleId(), event.commentId());
        String subject = "Your notice about a comment on " + siteName + " was received";
        String text = greeting(contact) + "\n\n"
                + "we received your notice of " + event.occurredAt() + " about this comment on " + siteName + ":\n"
                + link + "\n\n"
                + "Your explanation: \"" + contact.explanation() + "\"\n\n"
                + "The site's moderators will review the comment; this service will tell you what they decide and "
                + "how you can contest it. Notices are decided by people. Reference: " + event.reportId() + "\n";
        String html = "<p>" + MailText.escape(greeting(contact)) + "</p>\n"
                + "<p>we received your notice of "
                + MailText.escape(event.occurredAt().toString())
                + " about <a href=\"" + MailText.escape(link) + "\">this comment</a> on "
                + MailText.escape(siteName) + ".</p>\n"
                + "<p>Your explanation: &quot;" + MailText.escape(contact.explanation()) + "&quot;</p>\n"
                + "<p>The site's moderators will review the comment; this service will tell you what they decide and "
                + "how you can contest it. Notices are decided by people. Reference: "
                + MailText.escape(event.reportId()) + "</p>\n";
        send(contact, RECEIVED_KIND, subject, text, html, event.occurredAt(), event.eventId());
    }

    /** A moderator's decision on a comment with notices: each notifier is told it, once. */
    @Override
    public void handle(CommentModerated event) {
        if (!event.human() || event.outcome() == Outcome.HELD) {
            return;
        }
        List<Contact> contacts = mongo.find(query(where("commentId").is(event.commentId())), Contact.class)
                .take(1000)
                .collectList()
                .block(timeout);
        for (Contact contact : contacts == null ? List.<Contact>of() : contacts) {
            boolean removed = event.outcome() == Outcome.REJECTED;
            CommentModerated.Statement statement = event.statement();
            String decision = removed
                    ? "The comment was removed"
                            + (statement == null
                                    ? "."
                                    : (statement.ground() == CommentModerated.Statement.Ground.LAW
                                                    ? " as illegal under "
                                                    : " as incompatible with ")
                                            + MailText.singleLine(statement.reference(), 200) + ".")
                    : "The comment stays published: the moderators did not find it illegal or against the site's"
                            + " rules.";
            String redress = statement != null
                    ? MailText.singleLine(statement.redress(), 1000)
                    : "You can contest this decision by writing to the site's editors, through a certified"
                            + " out-of-court dispute settlement body, or in court.";
            String subject = "Decision on your notice about a comment on " + siteName;
            String text = greeting(contact) + "\n\n"
                    + "the site's moderators decided on the comment of your notice of " + contact.receivedAt()
                    + " (reference " + contact.reportId() + "). " + decision + " The decision was taken by a person."
                    + "\n\n" + redress + "\n";
            String html = "<p>" + MailText.escape(greeting(contact)) + "</p>\n"
                    + "<p>the site's moderators decided on the comment of your notice of "
                    + MailText.escape(contact.receivedAt().toString()) + " (reference "
                    + MailText.escape(contact.reportId()) + "). " + MailText.escape(decision)
                    + " The decision was taken by a person.</p>\n"
                    + "<p>" + MailText.escape(redress) + "</p>\n";
            send(contact, DECIDED_KIND, subject, text, html, event.occurredAt(), event.eventId());
            // told: the notifier's contact is no longer needed
            mongo.remove(query(where("_id").is(contact.reportId())), Contact.class)
                    .block(timeout);
        }
    }

    private void send(
            Contact contact, String kind, String subject, String text, String html, Instant at, UUID eventId) {
        Optional<InternetAddress> to = MailAddresses.recipient(contact.email());
        if (to.isEmpty()) {
            return;
        }
        Recipients.State state = confirmations.askUnlessConfirmed(
                to.get(),
                kind,
                at,
                contact.articleId(),
                contact.commentId(),
                eventId,
                "sent " + siteName + " a notice about a comment and asked to be told what the site decides");
        var draft = new MailOutbox.Draft(kind, contact.reportId(), LIST_KIND, true, subject, text, html);
        boolean recorded = state.confirmed()
                ? outbox.record(draft, to.get(), eventId)
                : outbox.recordAwaitingConfirmation(draft, to.get(), eventId);
        log.info(
                "Notice {} on comment {}: {} mail {}{}",
                contact.reportId(),
                contact.commentId(),
                kind,
                recorded ? "recorded" : "recorded before, skipped",
                state.confirmed() ? "" : ", waiting for the address's confirmation");
    }

    private static String greeting(Contact contact) {
        return contact.name().isEmpty() ? "Hello," : "Hello " + contact.name() + ",";
    }

    /** The decision handler reads a comment's notices by comment. */
    @Bean
    static CollectionIndexes noticeContactIndexes() {
        return CollectionIndexes.on(Contact.class, new Index().on("commentId", Sort.Direction.ASC));
    }

    @Override
    public String name() {
        return "notice_contacts";
    }

    @Override
    public List<Map<String, Object>> export(Person person) {
        List<Contact> found =
                mongo.find(byAddress(person), Contact.class).collectList().block(timeout);
        List<Map<String, Object>> records = new ArrayList<>();
        for (Contact contact : found == null ? List.<Contact>of() : found) {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("reportId", contact.reportId());
            record.put("commentId", contact.commentId());
            record.put("articleId", contact.articleId());
            record.put("name", contact.name());
            record.put("email", contact.email());
            record.put("explanation", contact.explanation());
            record.put("receivedAt", contact.receivedAt().toString());
            records.add(record);
        }
        return records;
    }

    @Override
    public long erase(Person person) {
        var removed = mongo.remove(byAddress(person), Contact.class).block(timeout);
        return removed == null ? 0 : removed.getDeletedCount();
    }

    /** The notices sent with the address, in any case (a scan: rare, asked for with a link from the mailbox). */
    private static org.springframework.data.mongodb.core.query.Query byAddress(Person person) {
        return query(where("email").regex(person.exactly(), "i"));
    }
}
