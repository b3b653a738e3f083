package dev.talkback.moderation.audit;

import java.time.Instant;
import java.util.Map;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * One state-changing request. Entries are only ever inserted; nothing updates or deletes them.
 *
 * @param id      ULID-like sortable id: the time in milliseconds, then a random part
 * @param at      when
 * @param who     the subject of the bearer token
 * @param action  what was done, e.g. {@code comment.decision}, {@code ban.create}, {@code settings.update}
 * @param target  what it was done to: a comment id, a ban id, {@code site} or {@code article:<id>}
 * @param details the request's particulars (action, reason, revision, outcome…); never an email address in clear
 */
@Document(collection = "audit")
public record AuditEntry(
        @Id String id, Instant at, String who, String action, String target, Map<String, Object> details) {}
