/**
 * What moderators and administrators configure: site-wide and per-article settings, and bans. Both are stored in
 * MongoDB and re-read by every instance every few seconds ({@link dev.talkback.moderation.rules.ActiveRules}), so a
 * change applies to the next automatic decision on every instance. {@code ActiveRules} is also the engine's ban list
 * and maps the stored settings to the engine's {@code ModerationSettings}.
 */
@NullMarked
package dev.talkback.moderation.rules;

import org.jspecify.annotations.NullMarked;
