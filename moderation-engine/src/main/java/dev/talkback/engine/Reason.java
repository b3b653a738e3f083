package dev.talkback.engine;

/**
 * Why a rule objected.
 *
 * @param ruleId  stable id, e.g. {@code links.too-many}; moderators filter by it
 * @param message a sentence a moderator understands
 */
public record Reason(String ruleId, String message) {}
