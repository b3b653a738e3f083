/**
 * Who may use the admin API: an OAuth2 resource server checking bearer JWTs (the scheme of moderation-service),
 * roles from a claim, problem details for 401 and 403. The readers' links stay public.
 */
@NullMarked
package dev.talkback.notification.security;

import org.jspecify.annotations.NullMarked;
