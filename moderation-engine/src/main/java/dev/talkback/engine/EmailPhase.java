package dev.talkback.engine;

/**
 * The author's address: its syntax and a disposable domain by the {@link EmailAddressPolicy}, then whether its domain
 * can receive mail at all (MX or address records), by the {@link DomainResolver}.
 */
final class EmailPhase implements Phase {

    static final String INVALID = "email.invalid";
    static final String DISPOSABLE = "email.disposable";
    static final String NO_MAIL_DOMAIN = "email.no-mail-domain";
    static final String DNS_UNAVAILABLE = "email.dns-unavailable";

    private final EmailAddressPolicy policy;
    private final DomainResolver resolver;

    EmailPhase(EmailAddressPolicy policy, DomainResolver resolver) {
        this.policy = policy;
        this.resolver = resolver;
    }

    @Override
    public String name() {
        return "email";
    }

    @Override
    public void judge(DecisionInput input, Judgement judgement) {
        ModerationSettings settings = input.settings;
        EmailAddressPolicy.Check check = policy.check(input.email);
        switch (check.finding()) {
            case INVALID ->
                judgement.object(
                        Verdict.REJECT,
                        INVALID,
                        "The author's email address " + check.reason() + ".",
                        "The email address is not valid.");
            case DISPOSABLE -> {
                if (settings.disposableEmail() != Verdict.APPROVE) {
                    judgement.object(
                            settings.disposableEmail(),
                            DISPOSABLE,
                            "The author's email address " + check.reason() + " (" + check.domain() + ").",
                            "Please use a permanent email address.");
                }
            }
            case VALID -> {}
        }
        String domain = check.domain();
        if (judgement.rejected() || domain == null) {
            return;
        }
        DomainResolver.Status status;
        try {
            status = resolver.lookup(domain);
        } catch (RuntimeException e) {
            status = DomainResolver.Status.UNAVAILABLE;
        }
        if (status == DomainResolver.Status.NO_MAIL_DOMAIN) {
            judgement.object(
                    Verdict.REJECT,
                    NO_MAIL_DOMAIN,
                    "The domain " + domain + " of the author's address has no mail server (no MX or address records).",
                    "The email address cannot receive mail.");
        } else if (status == DomainResolver.Status.UNAVAILABLE && settings.dnsUnavailable() != Verdict.APPROVE) {
            judgement.object(
                    settings.dnsUnavailable(),
                    DNS_UNAVAILABLE,
                    "The domain " + domain + " could not be checked (DNS did not answer in time).",
                    null);
        }
    }
}
