package dev.talkback.engine;

import java.util.LinkedHashSet;
import java.util.Set;

/** Links: to a blocked domain (rejected), behind a URL shortener (held), more than the site allows (held). */
final class LinksPhase implements Phase {

    static final String BLOCKED_DOMAIN = "links.blocked-domain";
    static final String SHORTENER = "links.shortener";
    static final String TOO_MANY = "links.too-many";

    @Override
    public String name() {
        return "links";
    }

    @Override
    public void judge(DecisionInput input, Judgement judgement) {
        ModerationSettings settings = input.settings;
        // each domain named once, however many links go there
        Set<String> blocked = new LinkedHashSet<>();
        Set<String> shortened = new LinkedHashSet<>();
        for (NormalizedText.Link link : input.text.links()) {
            String domain = link.onAnyOf(settings.blockedLinkDomains());
            if (domain != null) {
                blocked.add(domain);
            }
            domain = link.onAnyOf(settings.shortenerDomains());
            if (domain != null) {
                shortened.add(domain);
            }
        }
        if (!blocked.isEmpty()) {
            judgement.object(
                    Verdict.REJECT,
                    BLOCKED_DOMAIN,
                    "The comment links to blocked domains: " + String.join(", ", blocked) + ".",
                    "The comment links to a site that is not allowed here.");
            return;
        }
        if (!shortened.isEmpty()) {
            judgement.object(
                    Verdict.HOLD,
                    SHORTENER,
                    "The comment hides a link behind a URL shortener (" + String.join(", ", shortened) + ").",
                    null);
        }
        int links = input.text.links().size();
        if (links > settings.maxLinks()) {
            judgement.object(
                    Verdict.HOLD,
                    TOO_MANY,
                    "The comment contains " + links + " links; the limit is " + settings.maxLinks() + ".",
                    null);
        }
    }
}
