/**
 * The mail-domain check of the engine: a non-blocking Netty DNS resolver asking MX, then A, then AAAA, behind the
 * engine's caching resolver (timeout, TTL cache); or no check at all where there is no DNS.
 */
@NullMarked
package dev.talkback.moderation.dns;

import org.jspecify.annotations.NullMarked;
