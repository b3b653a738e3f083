/** The answer to every failed HTTP request of every service: an RFC 9457 problem detail, built one way. */
@NullMarked
package dev.talkback.support.web;

import org.jspecify.annotations.NullMarked;
