/**
 * Personal data (GDPR): the site key addresses are looked up by, and the answers to a person who proved they own an
 * address (notification-service checks that): an export of everything held about it ({@code privacy.exports.v1},
 * answered in parts on {@code privacy.export-parts.v1}) and its erasure ({@code privacy.erasure.v1}). What is held,
 * and how it is erased, is the business of the feature that holds it ({@link dev.talkback.moderation.privacy.PersonalData}).
 */
@NullMarked
package dev.talkback.moderation.privacy;

import org.jspecify.annotations.NullMarked;
