package dev.talkback.events;

/**
 * Logical type names carried in the {@code __TypeId__} header instead of Java class names, so that a consumer
 * never depends on the producer's packages.
 */
public final class EventTypes {

    public static final String COMMENT_SUBMITTED = "CommentSubmitted";
    public static final String COMMENT_MODERATED = "CommentModerated";
    public static final String COMMENT_REPORTED = "CommentReported";
    public static final String COMMENT_APPEALED = "CommentAppealed";
    public static final String PRIVACY_EXPORT_REQUESTED = "PrivacyExportRequested";
    public static final String PRIVACY_EXPORT_PART = "PrivacyExportPart";
    public static final String PRIVACY_ERASURE = "PrivacyErasure";

    /** The value of spring-kafka's {@code spring.json.type.mapping} property for the events. */
    public static final String JSON_TYPE_MAPPING = COMMENT_SUBMITTED + ":" + CommentSubmitted.class.getName() + ","
            + COMMENT_MODERATED + ":" + CommentModerated.class.getName() + ","
            + COMMENT_REPORTED + ":" + CommentReported.class.getName() + ","
            + COMMENT_APPEALED + ":" + CommentAppealed.class.getName() + ","
            + PRIVACY_EXPORT_REQUESTED + ":" + PrivacyExportRequested.class.getName() + ","
            + PRIVACY_EXPORT_PART + ":" + PrivacyExportPart.class.getName() + ","
            + PRIVACY_ERASURE + ":" + PrivacyErasure.class.getName();

    /** The only package a consumer has to trust. */
    public static final String PACKAGE = EventTypes.class.getPackageName();

    private EventTypes() {}
}
