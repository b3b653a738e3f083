package dev.talkback.engine;

import java.util.Locale;

/** A banned author (by address, domain or IP) is rejected. */
final class BanPhase implements Phase {

    /** Followed by the kind of ban: {@code ban.email}, {@code ban.domain}, {@code ban.network}. */
    static final String PREFIX = "ban.";

    private final BanList bans;

    BanPhase(BanList bans) {
        this.bans = bans;
    }

    @Override
    public String name() {
        return "bans";
    }

    @Override
    public void judge(DecisionInput input, Judgement judgement) {
        bans.find(input.emailKey(), input.domain, input.submission.clientIp(), input.now)
                .ifPresent(ban -> {
                    String kind = ban.kind().name().toLowerCase(Locale.ROOT);
                    judgement.object(
                            Verdict.REJECT,
                            PREFIX + kind,
                            "The author is banned (" + kind + "): " + ban.reason()
                                    + (ban.expiresAt() == null ? "." : ", until " + ban.expiresAt() + "."),
                            "You may not comment on this site.");
                });
    }
}
