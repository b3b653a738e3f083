/**
 * Dead letters: the records the listeners' error handlers wrote to {@code comments.submitted.v1-dlt} and
 * {@code comments.moderated.v1-dlt}, listed with the error that sent them there, and re-driven to their original topic
 * by an administrator after a fix (once each, recorded in {@code dead_letter_redrives} and the audit log).
 */
@NullMarked
package dev.talkback.moderation.deadletters;

import org.jspecify.annotations.NullMarked;
