package dev.talkback.events;

/**
 * Kafka topic names of the contract. Every comment event is keyed by its comment id, so all events of one comment
 * land on one partition and stay in order; privacy events are keyed by their export or erasure id. A breaking change to an event is a new record on a {@code .v2} topic.
 */
public final class Topics {

    /** {@link CommentSubmitted} events, produced by comment-service, consumed by moderation-service. */
    public static final String COMMENTS_SUBMITTED = "comments.submitted.v1";

    /** {@link CommentModerated} events, produced by moderation-service, consumed by comment-service and notification-service. */
    public static final String COMMENTS_MODERATED = "comments.moderated.v1";

    /**
     * {@link CommentReported} events, produced by comment-service, consumed by moderation-service and (for notices)
     * notification-service.
     */
    public static final String COMMENTS_REPORTED = "comments.reported.v1";

    /** {@link CommentAppealed} events, produced by comment-service, consumed by moderation-service. */
    public static final String COMMENTS_APPEALED = "comments.appealed.v1";

    /** {@link PrivacyExportRequested} events, produced by notification-service, consumed by moderation-service. */
    public static final String PRIVACY_EXPORTS = "privacy.exports.v1";

    /** {@link PrivacyExportPart} events, produced by moderation-service, consumed by notification-service. */
    public static final String PRIVACY_EXPORT_PARTS = "privacy.export-parts.v1";

    /**
     * {@link PrivacyErasure} events, produced by notification-service, consumed by moderation-service and
     * notification-service.
     */
    public static final String PRIVACY_ERASURE = "privacy.erasure.v1";

    /** Suffix of a dead-letter topic; it has the partition count of its source topic. */
    public static final String DEAD_LETTER_SUFFIX = "-dlt";

    public static final String COMMENTS_SUBMITTED_DLT = COMMENTS_SUBMITTED + DEAD_LETTER_SUFFIX;
    public static final String COMMENTS_MODERATED_DLT = COMMENTS_MODERATED + DEAD_LETTER_SUFFIX;
    public static final String COMMENTS_REPORTED_DLT = COMMENTS_REPORTED + DEAD_LETTER_SUFFIX;
    public static final String COMMENTS_APPEALED_DLT = COMMENTS_APPEALED + DEAD_LETTER_SUFFIX;
    public static final String PRIVACY_EXPORTS_DLT = PRIVACY_EXPORTS + DEAD_LETTER_SUFFIX;
    public static final String PRIVACY_EXPORT_PARTS_DLT = PRIVACY_EXPORT_PARTS + DEAD_LETTER_SUFFIX;
    public static final String PRIVACY_ERASURE_DLT = PRIVACY_ERASURE + DEAD_LETTER_SUFFIX;

    private Topics() {}
}
