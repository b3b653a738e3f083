package dev.talkback.moderation.rules;

import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A ban of an author: by email address, email domain, IP address or IP range (CIDR).
 *
 * @param id        random id
 * @param type      what {@code value} is
 * @param value     normalised: lower-case address or domain, canonical IP or CIDR as given
 * @param reason    why (shown to moderators)
 * @param createdAt when
 * @param createdBy who
 * @param expiresAt when it stops applying, or {@code null} for never
 */
@Document(collection = "bans")
public record Ban(
        @Id String id,
        Type type,
        String value,
        String reason,
        Instant createdAt,
        String createdBy,
        @Nullable Instant expiresAt) {

    public enum Type {
        EMAIL,
        DOMAIN,
        IP,
        CIDR
    }

    boolean activeAt(Instant now) {
        return expiresAt == null || expiresAt.isAfter(now);
    }

    /** Whether a comment by this address from this IP falls under the ban. */
    public boolean matches(@Nullable String email, @Nullable String ip) {
        String address = email == null ? "" : email.toLowerCase(Locale.ROOT);
        return switch (type) {
            case EMAIL -> address.equals(value);
            case DOMAIN -> address.endsWith("@" + value);
            case IP -> ip != null && IpLiterals.canonical(ip).equals(value);
            case CIDR -> ip != null && IpLiterals.inRange(ip, value);
        };
    }

    /** The rule id a decision by this ban carries, e.g. {@code ban.email}. */
    public String ruleId() {
        return "ban." + type.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "Ban[id=" + id + ", type=" + type + "]";
    }
}
