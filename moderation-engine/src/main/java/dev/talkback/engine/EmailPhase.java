package dev.talkback.engine;

/** Rejects a comment whose author address the {@link EmailAddressPolicy} does not accept. */
final class EmailPhase implements Phase {

    static final String RULE_ID = "email.invalid";

    private final EmailAddressPolicy policy;

    EmailPhase(EmailAddressPolicy policy) {
        this.policy = policy;
    }

    @Override
    public Objection judge(NormalizedText text, Submission submission) {
        return policy.problemWith(submission.email())
                .map(problem -> new Objection(Verdict.REJECT,
                        new Reason(RULE_ID, "The author's email address " + problem + "."),
                        "The email address is not valid."))
                .orElse(null);
    }
}
