/**
 * What the services' tests share: hostile inputs for the fuzz tests and a raw HTTP client that sends bytes no
 * well-behaved client would. A test dependency only; nothing here ships in a service.
 */
package dev.talkback.testsupport;
