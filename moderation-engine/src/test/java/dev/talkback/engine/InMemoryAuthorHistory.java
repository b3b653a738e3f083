package dev.talkback.engine;

import java.util.concurrent.ConcurrentHashMap;

/** An {@link AuthorHistory} in memory, for the command line, tests and benchmarks. */
public final class InMemoryAuthorHistory implements AuthorHistory {

    private final ConcurrentHashMap<String, Record> records = new ConcurrentHashMap<>();

    public void recordDecision(String email, Verdict verdict) {
        records.merge(
                email,
                verdict == Verdict.APPROVE
                        ? new Record(1, 0)
                        : verdict == Verdict.REJECT ? new Record(0, 1) : Record.NONE,
                (a, b) -> new Record(a.approved() + b.approved(), a.rejected() + b.rejected()));
    }

    @Override
    public Record of(String email) {
        return records.getOrDefault(email, Record.NONE);
    }
}
