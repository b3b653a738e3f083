package dev.talkback.comments.intake;

final class IntakeMessages {

    static final String UNKNOWN_PARENT = "is not a published comment of this article";

    private IntakeMessages() {
    }
}
