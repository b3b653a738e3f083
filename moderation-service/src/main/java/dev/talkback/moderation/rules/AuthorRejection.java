package dev.talkback.moderation.rules;

import java.util.List;
import reactor.core.publisher.Mono;

/** Rejects, as human decisions, every held and published comment a ban catches (implemented by the comments feature). */
public interface AuthorRejection {

    Mono<Report> rejectAllCaughtBy(Ban ban, String moderator);

    /**
     * What happened to each comment.
     *
     * @param rejected the ids of the comments rejected and published as such
     * @param failed   the ids of comments that could not be rejected or whose decision is not yet published (the
     *                 re-publisher will send stored ones), with why
     */
    record Report(List<String> rejected, List<Failure> failed) {}

    record Failure(String id, String problem) {}
}
