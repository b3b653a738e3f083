package dev.talkback.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** How an author's earlier comments were decided, counted by email address (moderation-service keeps them). */
@FunctionalInterface
public interface AuthorHistory {

    /** Counts of earlier decisions. */
    record Record(int approved, int rejected) {

        public static final Record NONE = new Record(0, 0);
    }

    Record of(String email);

    /**
     * The same counts, asked for without waiting for them. The engine asks at the start of a decision and reads the
     * answer after its other checks, so a store's round trip overlaps theirs. By default answered at once by
     * {@link #of}; a store overrides it.
     */
    default CompletionStage<Record> ofAsync(String email) {
        return CompletableFuture.completedFuture(of(email));
    }

    static AuthorHistory none() {
        return email -> Record.NONE;
    }
}
