/**
 * The service's edge against anonymous abuse: rate limits per client address, e-mail address and article (token
 * buckets), and the server's timeouts against connections that send a request slowly.
 */
@NullMarked
package dev.talkback.comments.edge;

import org.jspecify.annotations.NullMarked;
