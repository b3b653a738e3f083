package dev.talkback.moderation.comments;

import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A reader's report of a published comment, as received from {@code comments.reported.v1}.
 *
 * @param id         the report's id (comment-service's), so that a redelivered report is stored once
 * @param commentId  the reported comment
 * @param articleId  its article
 * @param reason     {@code SPAM}, {@code ABUSE}, {@code OFF_TOPIC}, {@code PERSONAL_INFORMATION}, {@code ILLEGAL_CONTENT}
 *                   or {@code OTHER}
 * @param note       the reader's note to the moderators, or {@code null}
 * @param notice     for a notice of illegal content, the notifier's explanation and contact; {@code null} otherwise
 * @param clientIp   where it came from: reports from one address count once; removed after
 *                   {@code moderation.privacy.client-data-retention} ({@link ReporterIpRetention}) and when the
 *                   notifier's address is erased
 * @param receivedAt when comment-service received it
 * @param resolvedAt when a moderator decided on the comment after it, or {@code null} while open
 * @param resolution the outcome of that decision ({@code APPROVED}: the comment stays; {@code REJECTED}, {@code HELD})
 */
@Document(Report.COLLECTION)
record Report(
        @Id String id,
        String commentId,
        String articleId,
        String reason,
        @Nullable String note,
        @Nullable Notice notice,
        @Nullable String clientIp,
        Instant receivedAt,
        @Nullable Instant resolvedAt,
        @Nullable String resolution) {

    static final String COLLECTION = "reports";
    static final String ILLEGAL_CONTENT = "ILLEGAL_CONTENT";

    /**
     * A notice's elements (Art. 16(2) DSA): why the content is illegal, and who says so.
     *
     * @param name  the notifier's name; {@code null} once erased at their request (the notice stays, for the
     *              moderators and the transparency report)
     * @param email the notifier's address, for the confirmation of receipt and the decision; never logged; {@code null}
     *              once erased
     * @param emailKey the address's key ({@code AddressKeys}), by which an export or erasure finds the notices filed
     *              from it; {@code null} once erased
     */
    record Notice(
            String explanation,
            @Nullable String name,
            @Nullable String email,
            @Nullable String emailKey) {

        @Override
        public String toString() {
            return "Notice[name=" + name + "]";
        }
    }

    /** Without the notifier's address. */
    @Override
    public String toString() {
        return "Report[id=" + id + ", commentId=" + commentId + ", reason=" + reason + ", notice=" + notice
                + ", receivedAt=" + receivedAt + ", resolvedAt=" + resolvedAt + ", resolution=" + resolution + "]";
    }
}
