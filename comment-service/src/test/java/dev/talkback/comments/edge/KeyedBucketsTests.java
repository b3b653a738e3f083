package dev.talkback.comments.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.talkback.comments.CommentsProperties.RateLimits.Limit;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The buckets alone: a burst of the capacity, then a wait; and a bounded number of buckets. */
class KeyedBucketsTests {

    @Test
    void aBurstOfTheCapacityThenTheTimeToTheNextToken() {
        // 5 an hour: one every 12 minutes, so a slow test machine's seconds do not matter
        KeyedBuckets buckets = new KeyedBuckets(new Limit(5, Duration.ofHours(1)), 100);
        for (int i = 0; i < 5; i++) {
            assertThat(buckets.take("a")).isNull();
        }
        assertThat(buckets.take("a")).isBetween(Duration.ofMinutes(11), Duration.ofMinutes(12));
        assertThat(buckets.take("b")).isNull();
    }

    @Test
    void aClientRotatingAddressesCannotGrowTheBucketsBeyondTheirBound() {
        KeyedBuckets buckets = new KeyedBuckets(new Limit(5, Duration.ofMinutes(1)), 1000);
        for (int i = 0; i < 100_000; i++) {
            buckets.take("address-" + i);
        }
        assertThat(buckets.size()).isLessThanOrEqualTo(1000);
    }
}
