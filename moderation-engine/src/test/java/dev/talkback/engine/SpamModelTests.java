package dev.talkback.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The model's quality on comments from a page it was not trained on (two YouTube files for training, the third for
 * testing), with floors a little under the targets where the model reaches them, and at the level measured
 * where it does not yet (see the module README): a regression fails the build.
 */
class SpamModelTests {

    @ParameterizedTest(name = "test on {2}")
    @CsvSource({
            "youtube_katyperry.tsv, youtube_lmfao.tsv, youtube_psy.tsv",
            "youtube_psy.tsv, youtube_lmfao.tsv, youtube_katyperry.tsv",
            "youtube_psy.tsv, youtube_katyperry.tsv, youtube_lmfao.tsv"})
    void generalisesToAnUnseenPage(String trainA, String trainB, String test) throws IOException {
        List<SpamModel.LabeledComment> training = new ArrayList<>(corpus(trainA));
        training.addAll(corpus(trainB));
        SpamModel model = SpamModel.train(training);
        ModerationSettings settings = ModerationSettings.defaults();
        int tp = 0, fp = 0, fn = 0, ham = 0, spam = 0, held = 0, spamApproved = 0;
        List<SpamModel.LabeledComment> tests = corpus(test);
        for (SpamModel.LabeledComment c : tests) {
            double p = model.spamProbability(c.text());
            boolean rejected = p >= settings.rejectFrom();
            boolean approved = p < settings.approveBelow();
            held += !rejected && !approved ? 1 : 0;
            if (c.spam()) {
                spam++;
                tp += rejected ? 1 : 0;
                fn += rejected ? 0 : 1;
                spamApproved += approved ? 1 : 0;
            } else {
                ham++;
                fp += rejected ? 1 : 0;
            }
        }
        double precision = (double) tp / (tp + fp);
        double recall = (double) tp / (tp + fn);
        double f1 = 2 * precision * recall / (precision + recall);
        assertThat(f1).as("F1").isGreaterThan(0.86);
        assertThat((double) fp / ham).as("legitimate rejected").isLessThan(0.06);
        assertThat((double) spamApproved / spam).as("spam approved").isLessThan(0.10);
        assertThat((double) held / tests.size()).as("held").isLessThan(0.22);
    }

    @Test
    void probabilitiesAreCalibratedOnTheTrainingDistribution() {
        SpamModel model = SpamModel.shipped();
        double spamMean = 0;
        double hamMean = 0;
        int s = 0;
        int h = 0;
        for (SpamModel.LabeledComment c : SpamModel.shippedExamples()) {
            double p = model.spamProbability(c.text());
            assertThat(p).isBetween(0.0, 1.0);
            if (c.spam()) {
                spamMean += p;
                s++;
            } else {
                hamMean += p;
                h++;
            }
        }
        assertThat(spamMean / s).isGreaterThan(0.8);
        assertThat(hamMean / h).isLessThan(0.1);
    }

    @Test
    void theVersionIdentifiesTheTrainingData() {
        List<SpamModel.LabeledComment> a = List.of(new SpamModel.LabeledComment(true, "buy now http://x.example"),
                new SpamModel.LabeledComment(false, "nice article"));
        assertThat(SpamModel.train(a).version()).isEqualTo(SpamModel.train(a).version());
        assertThat(SpamModel.train(a).retrainedWith(List.of(new SpamModel.LabeledComment(false, "hello"))).version())
                .isNotEqualTo(SpamModel.train(a).version());
        assertThatThrownBy(() -> SpamModel.train(List.of(new SpamModel.LabeledComment(true, "x"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void seesThroughSpammersTricks() {
        SpamModel model = SpamModel.shipped();
        double plain = model.spamProbability("check out my channel on youtube and subscribe");
        double tricked = model.spamProbability("ⅽһеⅽk оut my ｃｈａｎｎｅｌ on you[tube] and s.u.b.s.c.r.i.b.e");
        assertThat(tricked).isGreaterThan(0.5);
        assertThat(Math.abs(plain - tricked)).isLessThan(0.4);
    }

    static List<SpamModel.LabeledComment> corpus(String name) {
        return SpamModel.corpus(name);
    }
}
