package dev.talkback.moderation.comments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import dev.talkback.engine.TextFingerprint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A poll reads the stored comments similar to its texts a few dozen texts at a time, as the engine gets to them: a
 * poll of 500 texts holding every text's 250 candidates at once filled a service's heap.
 */
class BatchActivityTests {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private static final Instant DAY_AGO = NOW.minus(Duration.ofDays(1));

    private final List<List<BatchActivity.Text>> reads = new ArrayList<>();

    private final List<BatchActivity.Text> texts = IntStream.range(0, 500)
            .mapToObj(
                    i -> new BatchActivity.Text(TextFingerprint.of("Comment number " + i + " on the bridge"), DAY_AGO))
            .toList();

    private final BatchActivity poll =
            new BatchActivity(mock(FloodCounters.class), Map.of(), Map.of(), texts, window -> {
                reads.add(List.copyOf(window));
                return Map.of(window.get(0).fingerprint(), List.of(entry("stored-1", NOW.minusSeconds(60))));
            });

    @Test
    void theTextsAreReadAFewDozenAtATimeInThePollsOrder() {
        for (BatchActivity.Text text : texts) {
            assertThat(poll.storedSimilar(text.fingerprint(), DAY_AGO)).isNotNull();
        }

        assertThat(reads).hasSize((texts.size() + BatchActivity.READ_AHEAD - 1) / BatchActivity.READ_AHEAD);
        assertThat(reads).allSatisfy(window -> assertThat(window).hasSizeLessThanOrEqualTo(BatchActivity.READ_AHEAD));
        assertThat(reads.stream().flatMap(List::stream).toList()).isEqualTo(texts);
    }

    @Test
    void aTextIsAnsweredWithWhatWasStoredWithinItsWindow() {
        TextFingerprint first = texts.get(0).fingerprint();

        assertThat(poll.storedSimilar(first, DAY_AGO))
                .extracting(RecentFingerprints.Entry::id)
                .containsExactly("stored-1");
        assertThat(poll.storedSimilar(first, NOW.minusSeconds(30))).isEmpty();
        assertThat(poll.storedSimilar(texts.get(1).fingerprint(), DAY_AGO)).isEmpty();
        assertThat(reads).hasSize(1);
    }

    @Test
    void aTextNotReadOrNotReadThatFarBackIsLeftToTheStore() {
        assertThat(poll.storedSimilar(TextFingerprint.of("Not a text of this poll at all"), DAY_AGO))
                .isNull();
        assertThat(poll.storedSimilar(texts.get(0).fingerprint(), DAY_AGO.minusSeconds(1)))
                .isNull();
    }

    private static RecentFingerprints.Entry entry(String id, Instant at) {
        return new RecentFingerprints.Entry(
                id,
                "article",
                "key",
                ModeratedComment.Fingerprint.of(TextFingerprint.of("Comment number 0 on the bridge")),
                at);
    }
}
