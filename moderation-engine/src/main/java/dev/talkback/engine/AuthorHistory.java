package dev.talkback.engine;

/** How an author's earlier comments were decided, counted by email address (moderation-service keeps them). */
@FunctionalInterface
public interface AuthorHistory {

    /** Counts of earlier decisions. */
    record Record(int approved, int rejected) {

        public static final Record NONE = new Record(0, 0);
    }

    Record of(String email);

    static AuthorHistory none() {
        return email -> Record.NONE;
    }
}
