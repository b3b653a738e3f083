/** The append-only audit log: who changed which decision, ban or setting, and when. */
@NullMarked
package dev.talkback.moderation.audit;

import org.jspecify.annotations.NullMarked;
