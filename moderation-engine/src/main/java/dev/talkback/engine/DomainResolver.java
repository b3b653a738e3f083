package dev.talkback.engine;

/**
 * Whether a mail domain can receive mail: MX records, or else A/AAAA records (RFC 5321 §5.1). The service implements
 * it with a non-blocking resolver; {@link CachingDomainResolver} adds a TTL cache, and a timeout for blocking ones.
 */
@FunctionalInterface
public interface DomainResolver {

    /** The outcome of a lookup. */
    enum Status {
        /** MX, A or AAAA records exist. */
        RESOLVES,
        /** The domain does not exist or has neither MX nor address records (or a null MX, RFC 7505). */
        NO_MAIL_DOMAIN,
        /** No answer in time, or a server failure: nothing is known. */
        UNAVAILABLE
    }

    /** @param domain an ASCII (punycode) domain, lower case */
    Status lookup(String domain);

    /** Checks nothing: for callers that only judge text (the command line's evaluation). */
    static DomainResolver notChecked() {
        return domain -> Status.RESOLVES;
    }
}
