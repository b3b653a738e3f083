/**
 * Who may use the moderator API: an OAuth2 resource server checking bearer JWTs, roles from a claim, problem details
 * for 401 and 403.
 */
@NullMarked
package dev.talkback.moderation.security;

import org.jspecify.annotations.NullMarked;
