package dev.talkback.moderation.privacy;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What a feature holds by email address, for the privacy requests. Implemented where the data lives (the comments
 * feature), so that this package, which answers the requests, depends on no feature.
 */
public interface PersonalData {

    /**
     * Erases what is held about the address; idempotent: erasing again finds nothing more and changes nothing.
     *
     * @return how much was erased, once it is stored (and published where that applies)
     */
    Mono<Erased> erase(String address);

    /**
     * Everything held about the address, one JSON-serialisable record at a time, read as it is consumed.
     *
     * @param maxComments comments given at most (newest first)
     */
    Flux<Object> export(String address, int maxComments);

    /**
     * What one erasure changed.
     *
     * @param comments the comments erased
     * @param notices  the notices of illegal content filed by the address that lost their name and address
     */
    record Erased(int comments, int notices) {}
}
