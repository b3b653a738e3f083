package dev.talkback.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shipped configuration (corpora, features, default thresholds, all chosen by {@code select-spam}) trained on two
 * YouTube pages and news.tsv and tested on the third, and the three test sets pooled. The configuration was chosen
 * with all three pages, so these are not unbiased estimates (the nested leave-one-page-out figures in the module
 * README are); the floors sit just under the measured figures so that a regression fails the build.
 */
class SpamModelTests {

    private static final List<String> PAGES = List.of("youtube_psy.tsv", "youtube_katyperry.tsv", "youtube_lmfao.tsv");

    @ParameterizedTest(name = "test on {0}")
    @CsvSource({
        // test page,          F1 >, rejected legitimate <, approved spam <, held <
        // measured: psy 0.965, 1 of 175, 2 of 175, 9.4 %; katyperry 0.939, 0, 5 of 175, 8.6 %;
        // lmfao 0.910, 0, 11 of 236 (4.7 %: over the 3 % target), 8.9 %
        "youtube_psy.tsv,       0.96,  0.01, 0.015, 0.10",
        "youtube_katyperry.tsv, 0.935, 0.01, 0.03,  0.09",
        "youtube_lmfao.tsv,     0.905, 0.01, 0.05,  0.09"
    })
    void generalisesToAnUnseenPage(String test, double f1, double fpr, double spamApproved, double held) {
        Counts counts = rotation(test);
        assertThat(counts.f1()).as("F1").isGreaterThan(f1);
        assertThat(counts.fpr()).as("legitimate rejected").isLessThan(fpr);
        assertThat(counts.spamApproved()).as("spam approved").isLessThan(spamApproved);
        assertThat(counts.held()).as("held").isLessThan(held);
    }

    @Test
    void generalisesOverTheThreePagesPooled() {
        Counts pooled = new Counts();
        for (String test : PAGES) {
            pooled.add(rotation(test));
        }
        // measured: F1 0.936, 1 of 552 legitimate rejected, 18 of 586 spam approved (3.1 %), 9.0 % held
        assertThat(pooled.f1()).as("F1").isGreaterThan(0.93);
        assertThat(pooled.fpr()).as("legitimate rejected").isLessThan(0.005);
        assertThat(pooled.spamApproved()).as("spam approved").isLessThan(0.035);
        assertThat(pooled.held()).as("held").isLessThan(0.095);
    }

    /**
     * Trains the shipped mixture (the two other pages and news.tsv) with the shipped features, scores {@code test}
     * with the default thresholds; spam = rejected.
     */
    private static Counts rotation(String test) {
        List<SpamModel.LabeledComment> training = new ArrayList<>();
        for (String page : SpamModel.SHIPPED_CORPORA) {
            if (!page.equals(test)) {
                training.addAll(corpus(page));
            }
        }
        SpamModel model = SpamModel.train(training);
        ModerationSettings settings = ModerationSettings.defaults();
        Counts counts = new Counts();
        for (SpamModel.LabeledComment c : corpus(test)) {
            double p = model.spamProbability(c.text());
            counts.add(c.spam(), p >= settings.rejectFrom(), p < settings.approveBelow());
        }
        return counts;
    }

    private static final class Counts {
        int tp, fp, fn, ham, spam, held, spamApproved, n;

        void add(boolean isSpam, boolean rejected, boolean approved) {
            n++;
            held += !rejected && !approved ? 1 : 0;
            if (isSpam) {
                spam++;
                tp += rejected ? 1 : 0;
                fn += rejected ? 0 : 1;
                spamApproved += approved ? 1 : 0;
            } else {
                ham++;
                fp += rejected ? 1 : 0;
            }
        }

        void add(Counts o) {
            tp += o.tp;
            fp += o.fp;
            fn += o.fn;
            ham += o.ham;
            spam += o.spam;
            held += o.held;
            spamApproved += o.spamApproved;
            n += o.n;
        }

        double f1() {
            double precision = (double) tp / (tp + fp);
            double recall = (double) tp / (tp + fn);
            return 2 * precision * recall / (precision + recall);
        }

        double fpr() {
            return (double) fp / ham;
        }

        double spamApproved() {
            return (double) spamApproved / spam;
        }

        double held() {
            return (double) held / n;
        }
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
        List<SpamModel.LabeledComment> a = List.of(
                new SpamModel.LabeledComment(true, "buy now http://x.example"),
                new SpamModel.LabeledComment(false, "nice article"));
        assertThat(SpamModel.train(a).version()).isEqualTo(SpamModel.train(a).version());
        assertThat(SpamModel.train(a)
                        .retrainedWith(List.of(new SpamModel.LabeledComment(false, "hello")))
                        .version())
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

    /**
     * Ordinary comments on a news article, written for this test (none is in the corpora, nor in the selection's check
     * set news_check.tsv): the shipped model must let them through, not hold them, though YouTube's legitimate
     * comments are mostly about the video.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "I think the council should publish the full budget before the vote",
                "The minister said the new rail line would open next spring, two years late.",
                "Great reporting, thank you. The figures on school funding are worrying.",
                "My daughter's school has had the same problem with class sizes for years.",
                "I disagree: the bridge was never going to be finished on time with that contractor.",
                "Does anyone know whether the library will stay open during the renovation?",
                "This is the third flood in five years; the drainage plan clearly is not working.",
                "Well written article, but you forgot to mention the cost to taxpayers.",
                "Subscribers to the paper got this a day earlier, why is that?",
                "Watch the video of the meeting: the chair never answered the question.",
                "The council's budget gap is smaller than last year but the cuts fall on the same services.",
                "I have taken the 7.40 train for ten years and it has never been this unreliable.",
                "Thank you for explaining the new parking rules so clearly.",
                "The headteacher is right, the building has needed a new roof since before the pandemic.",
                "Nobody from the water company turned up to the residents' meeting on Tuesday.",
                "Sad news about the bakery closing, it has been on the corner since my parents were children.",
                "What happened to the promise of a swimming pool in the new leisure centre?",
                "The court's decision seems fair given the evidence described in the article.",
                "My street flooded again last night and the drains were blocked with leaves.",
                "I would like to know how many of the new homes will actually be affordable.",
                "Good luck to the team in the final, the whole town will be watching.",
                "The consultation ran over the summer holidays when most families were away.",
                "Hospital parking charges are a tax on the sick and their visitors.",
                "The ambulance took forty minutes to reach my neighbour after her fall.",
                "This is the best explanation of the tram delays I have read anywhere.",
                "Councillors voted to keep the library open for another year, which is good news.",
                "The article should have said who owns the land the developer wants to build on.",
                "Our energy bills have doubled and the support scheme does not cover pensioners like me.",
                "The speed limit on the coast road should be lowered before someone else is killed.",
                "Can the paper ask the police why the investigation took three years?"
            })
    void approvesOrdinaryProse(String text) {
        assertThat(SpamModel.shipped().spamProbability(text))
                .isLessThan(ModerationSettings.defaults().approveBelow());
    }

    /**
     * Civic imperatives are conversation on a news site; the request signal leaves these verbs out, so at worst they
     * are held.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "Please vote on Thursday, every vote counts.",
                "Share this with anyone who takes the number 12 bus.",
                "Support for the mayor has fallen since the vote, as the poll shows.",
                "I subscribe to the print edition and this article was not in it."
            })
    void doesNotRejectCivicImperatives(String text) {
        assertThat(SpamModel.shipped().spamProbability(text))
                .isLessThan(ModerationSettings.defaults().rejectFrom());
    }

    static List<SpamModel.LabeledComment> corpus(String name) {
        return SpamModel.corpus(name);
    }
}
