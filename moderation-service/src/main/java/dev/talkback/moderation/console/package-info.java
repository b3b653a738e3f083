/**
 * The moderator console: static ES modules served at {@code /moderate/} and what they need to start (which identity
 * provider and client to sign in with). Everything they show comes from the moderator API with the moderator's token.
 */
@NullMarked
package dev.talkback.moderation.console;

import org.jspecify.annotations.NullMarked;
