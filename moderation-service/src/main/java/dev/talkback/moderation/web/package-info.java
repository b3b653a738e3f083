/** What every HTTP endpoint shares: problem details for errors, and the audit subject of a request. */
@NullMarked
package dev.talkback.moderation.web;

import org.jspecify.annotations.NullMarked;
