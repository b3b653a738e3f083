package dev.talkback.comments;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CommentIdsTests {

    @Test
    void idsAreWellFormedUniqueAndSortByTime() {
        String earlier = new CommentIds(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC)).next();
        String later = new CommentIds(Clock.fixed(Instant.parse("2026-01-01T00:00:00.001Z"), ZoneOffset.UTC)).next();
        assertThat(earlier).hasSize(26).matches(CommentIds.PATTERN);
        assertThat(earlier.compareTo(later)).isNegative();

        CommentIds ids = new CommentIds();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertThat(seen.add(ids.next())).isTrue();
        }
    }

    @Test
    void timestampIsTheUlidTimestamp() {
        // the ULID specification's example: time 1469918176385 encodes as 01ARYZ6S41
        String id = new CommentIds(Clock.fixed(Instant.ofEpochMilli(1469918176385L), ZoneOffset.UTC)).next();
        assertThat(id).startsWith("01ARYZ6S41");
        assertThat(CommentIds.isWellFormed("01ARYZ6S41TSV4RRFFQ69G5FAV")).isTrue();
        assertThat(CommentIds.isWellFormed("01ARYZ6S41TSV4RRFFQ69G5FAU")).isFalse();
        assertThat(CommentIds.isWellFormed("short")).isFalse();
    }
}
