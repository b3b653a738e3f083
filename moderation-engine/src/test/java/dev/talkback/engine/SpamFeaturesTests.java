package dev.talkback.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpamFeaturesTests {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Check out my channel",
                "great song. please subscribe to me!",
                "guys visit my page for free stuff",
                "Like this comment if you are watching in 2015",
                "I just want to see how many people like this comment",
                "SHARE MY VIDEO",
                "nice. ⓈⓊⒷⓈⒸⓇⒾⒷⒺ to my channel",
                "hey, click here: example dot com"
            })
    void seesARequestToTheReader(String text) {
        assertThat(SpamFeatures.asksTheReader(NormalizedText.of(text))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "I think the council should publish the full budget before the vote",
                "The police should check the cameras on the high street.",
                "I subscribe to the print edition and this article was not in it.",
                "Please vote on Thursday, every vote counts.",
                "Share this with anyone who takes the number 12 bus.",
                "Support for the mayor has fallen since the vote.",
                "I like this song",
                "just came here to check the views",
                ""
            })
    void conversationIsNoRequest(String text) {
        assertThat(SpamFeatures.asksTheReader(NormalizedText.of(text))).isFalse();
    }

    /** Training uses the sorted vector, scoring the per-thread counts: both must give the same dot product. */
    @Test
    void scoringAndTrainingSeeTheSameVector() {
        float[] weights = new float[SpamFeatures.DIMENSIONS];
        Random random = new Random(7);
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) random.nextGaussian();
        }
        for (String text : new String[] {
            "Check out my channel http://example.com/x and SUBSCRIBE!!!",
            "the the the the views views",
            "nice song",
            "",
            "🙂",
            "Like this comment. 123456789",
            "watch from https://youtube.com/watch?v=x&t=1m2s ok"
        }) {
            NormalizedText normalized = NormalizedText.of(text);
            SpamFeatures.Vector v = SpamFeatures.of(normalized);
            double expected = 0;
            for (int i = 0; i < v.indices().length; i++) {
                expected += weights[v.indices()[i]] * v.values()[i];
            }
            assertThat(SpamFeatures.dot(normalized, weights)).as(text).isCloseTo(expected, within(1e-4));
        }
    }
}
