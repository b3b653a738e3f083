/**
 * Readers' rights over their data (GDPR Art. 15 and 17), for people who have no account, only an address: a link by
 * mail (at most one per address per day, whoever asks), a page with one button each to download or erase, an export
 * assembled from every service's part, and an erasure every service applies to what it holds by the address.
 */
@NullMarked
package dev.talkback.notification.privacy;

import org.jspecify.annotations.NullMarked;
