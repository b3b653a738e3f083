package dev.talkback.comments.intake;

final class IntakeMessages {

    static final String UNKNOWN_PARENT = "is not a published comment of this article";
    /** A flag ({@code notifyReplies}, {@code notifyPublished}) that is not a JSON boolean. */
    static final String NOT_A_BOOLEAN = "must be true or false";

    private IntakeMessages() {}
}
