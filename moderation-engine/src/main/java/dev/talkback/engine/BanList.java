package dev.talkback.engine;

import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Bans by email address, email domain, IP address or network; moderation-service keeps them. */
@FunctionalInterface
public interface BanList {

    /** What a ban applies to. */
    enum Kind {
        EMAIL,
        DOMAIN,
        /** an IP address or a CIDR network, e.g. {@code 203.0.113.0/24} or {@code 2001:db8::/32} */
        NETWORK
    }

    /**
     * A ban.
     *
     * @param kind      what it applies to
     * @param value     the address, domain or network
     * @param reason    why, for moderators
     * @param expiresAt when it ends, or {@code null} for never
     */
    record Ban(
            Kind kind,
            String value,
            String reason,
            @Nullable Instant expiresAt) {

        public boolean activeAt(Instant now) {
            return expiresAt == null || expiresAt.isAfter(now);
        }
    }

    /**
     * @param email  the author's address, lower case, or null
     * @param domain its domain (and the caller must also match parent domains), or null
     * @param ip     the client IP, or null
     * @return an active ban that applies, if any
     */
    Optional<Ban> find(@Nullable String email, @Nullable String domain, @Nullable String ip, Instant now);

    static BanList none() {
        return (email, domain, ip, now) -> Optional.empty();
    }
}
