/**
 * Bearer-token security for the services' APIs (moderation-service's moderator API, notification-service's admin
 * API): what a token must carry, where the keys come from, roles from the token, 401 and 403 as problem details.
 * Each service supplies its property prefix and its path rules.
 */
@NullMarked
package dev.talkback.support.security;

import org.jspecify.annotations.NullMarked;
