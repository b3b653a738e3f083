/**
 * The reader's side on a news site: the embeddable widget's script and stylesheet, CORS for the sites that embed it,
 * and the demo article page (the site's sample article with the widget under it, served under a strict CSP).
 */
@NullMarked
package dev.talkback.comments.site;

import org.jspecify.annotations.NullMarked;
