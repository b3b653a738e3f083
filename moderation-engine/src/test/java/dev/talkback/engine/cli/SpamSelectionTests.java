package dev.talkback.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.talkback.engine.SpamModel;
import dev.talkback.engine.SpamModel.LabeledComment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The selection never uses the measured page for a choice: it reads only the pages it is given, a rotation's choice is
 * the same whatever the measured page holds, and the measured page is read only to measure. Small made-up pages keep
 * the training fast; the real corpora are the command's (see the module README).
 */
class SpamSelectionTests {

    private static final List<String> PAGES = List.of("a.tsv", "b.tsv", "c.tsv");
    private static final List<SpamSelection.Mixture> MIXTURES = List.of(
            new SpamSelection.Mixture("pages", List.of()),
            new SpamSelection.Mixture("pages+news", List.of(new SpamSelection.Part("news.tsv", 1))),
            new SpamSelection.Mixture("pages+sms/2", List.of(new SpamSelection.Part("sms.tsv", 2))));
    private static final List<SpamSelection.Thresholds> GRID = List.of(
            new SpamSelection.Thresholds(0.2, 0.8),
            new SpamSelection.Thresholds(0.3, 0.7),
            new SpamSelection.Thresholds(0.5, 0.5));

    @TempDir
    Path dir;

    /** Records every corpus read, in order. */
    private static final class Recording implements SpamSelection.Corpora {
        final Map<String, List<LabeledComment>> corpora;
        final List<String> reads = new ArrayList<>();

        Recording(Map<String, List<LabeledComment>> corpora) {
            this.corpora = corpora;
        }

        @Override
        public List<LabeledComment> read(String name) {
            reads.add(name);
            List<LabeledComment> c = corpora.get(name);
            if (c == null) {
                throw new IllegalArgumentException("no corpus " + name);
            }
            return c;
        }
    }

    /** No feature groups left out (each training takes about a tenth of a second) except where that is tested. */
    private static SpamSelection selection() {
        return new SpamSelection(MIXTURES, GRID, false, SpamSelection.Rule.COST);
    }

    @Test
    void theSelectionReadsOnlyThePagesItIsGivenAndTheExtraCorpora() throws IOException {
        Recording corpora = new Recording(corpora(false));

        SpamSelection.Choice choice = new SpamSelection(MIXTURES, GRID, true, SpamSelection.Rule.COST)
                .select(List.of("a.tsv", "b.tsv"), corpora);

        assertThat(corpora.reads)
                .doesNotContain("c.tsv")
                .contains(
                        "a.tsv", "b.tsv", "news.tsv", "sms.tsv", SpamSelection.PROSE_CHECK, SpamSelection.CIVIC_CHECK);
        // every mixture was weighed, then each feature group left out from the best one
        assertThat(choice.mixtures()).hasSize(MIXTURES.size());
        assertThat(choice.features()).hasSize(SpamModel.Feature.values().length);
        assertThat(choice.candidates()).contains(choice.chosen());
        assertThat(choice.chosen().byLeftOutPage()).containsOnlyKeys("a.tsv", "b.tsv");
    }

    @Test
    void aRotationReadsTheMeasuredPageOnlyAfterItsChoiceAndOnlyToMeasure() throws IOException {
        Recording corpora = new Recording(corpora(false));

        SpamSelection.Rotation rotation = selection().rotate(PAGES, "c.tsv", corpora);

        int firstRead = corpora.reads.indexOf("c.tsv");
        assertThat(firstRead).isPositive();
        // what was read before the measured page is exactly what the selection on the other pages reads
        Recording alone = new Recording(corpora(false));
        selection().select(List.of("a.tsv", "b.tsv"), alone);
        assertThat(corpora.reads.subList(0, firstRead)).isEqualTo(alone.reads);
        assertThat(corpora.reads.stream().filter("c.tsv"::equals)).hasSize(1);
        SpamSelection.Figures measured = rotation.chosenFigures();
        assertThat(measured.spam() + measured.legitimate())
                .isEqualTo(corpora(false).get("c.tsv").size());
    }

    @Test
    void theChoiceIsTheSameWhateverTheMeasuredPageHolds() throws IOException {
        SpamSelection.Rotation honest = selection().rotate(PAGES, "c.tsv", new Recording(corpora(false)));
        SpamSelection.Rotation flipped = selection().rotate(PAGES, "c.tsv", new Recording(corpora(true)));

        assertThat(flipped.choice().chosen().config())
                .isEqualTo(honest.choice().chosen().config());
        assertThat(flipped.choice().chosen().thresholds())
                .isEqualTo(honest.choice().chosen().thresholds());
        assertThat(flipped.choice().chosen().byLeftOutPage())
                .isEqualTo(honest.choice().chosen().byLeftOutPage());
        // ...while what is measured on it does change: the measurement does read it
        assertThat(flipped.chosenFigures()).isNotEqualTo(honest.chosenFigures());
    }

    @Test
    void aMixtureThatSmugglesInTheMeasuredPageIsRefused() {
        SpamSelection cheating = new SpamSelection(
                List.of(new SpamSelection.Mixture("pages+c", List.of(new SpamSelection.Part("c.tsv", 1)))),
                GRID,
                false,
                SpamSelection.Rule.COST);
        Recording corpora = new Recording(corpora(false));

        assertThatThrownBy(() -> cheating.rotate(PAGES, "c.tsv", corpora))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("c.tsv");
        assertThat(corpora.reads).doesNotContain("c.tsv");
        assertThatThrownBy(() -> selection().rotate(PAGES, "d.tsv", corpora))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPartTakesEveryNthExampleInFileOrder() throws IOException {
        List<LabeledComment> sms = corpora(false).get("sms.tsv");
        List<LabeledComment> half = new SpamSelection.Part("sms.tsv", 2).from(new Recording(corpora(false)));
        assertThat(half).containsExactly(sms.get(0), sms.get(2), sms.get(4), sms.get(6), sms.get(8));
    }

    @Test
    void theCommandReadsADirectoryAndPrintsEachRotationAndWhatToShip() throws IOException {
        for (Map.Entry<String, List<LabeledComment>> e : corpora(false).entrySet()) {
            Files.write(
                    dir.resolve(e.getKey()),
                    e.getValue().stream()
                            .map(c -> (c.spam() ? "spam" : "ham") + "\t" + c.text())
                            .toList(),
                    StandardCharsets.UTF_8);
        }
        for (String page : SpamSelection.YOUTUBE_PAGES) {
            Files.copy(dir.resolve(PAGES.get(SpamSelection.YOUTUBE_PAGES.indexOf(page))), dir.resolve(page));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Command.run(
                new String[] {"select-spam", "--data", dir.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err);

        assertThat(status).isZero();
        String report = out.toString(StandardCharsets.UTF_8);
        for (String page : SpamSelection.YOUTUBE_PAGES) {
            assertThat(report).contains("== measured on " + page);
        }
        assertThat(report).contains("== to ship: chosen on all three pages").contains("chosen: ");
    }

    /** Three made-up pages, the extra corpora and the check sets; {@code flip}: the labels of c.tsv reversed. */
    private static Map<String, List<LabeledComment>> corpora(boolean flip) {
        Map<String, List<LabeledComment>> out = new HashMap<>();
        String[] topics = {"song", "video", "chorus", "dance"};
        for (int p = 0; p < PAGES.size(); p++) {
            List<LabeledComment> page = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                String topic = topics[(i + p) % topics.length];
                boolean f = flip && p == 2;
                page.add(new LabeledComment(
                        !f,
                        "check out my channel http://promo" + i + ".example and subscribe "
                                + (i % 3 == 0 ? "please" : "for more " + topic)));
                page.add(new LabeledComment(f, "I love this " + topic + ", number " + i + " on my list this year"));
            }
            out.put(PAGES.get(p), page);
        }
        out.put(
                "news.tsv",
                List.of(
                        new LabeledComment(false, "The council should publish the budget"),
                        new LabeledComment(false, "The new bridge opens next year, two years late")));
        List<LabeledComment> sms = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sms.add(new LabeledComment(
                    i % 3 == 0,
                    i % 3 == 0 ? "WIN a prize text " + i + " to 80085 now" : "see you at " + i + " tonight"));
        }
        out.put("sms.tsv", sms);
        out.put(
                SpamSelection.PROSE_CHECK,
                List.of(
                        new LabeledComment(false, "The mayor answered the question"),
                        new LabeledComment(false, "Our school needs more teachers")));
        out.put(SpamSelection.CIVIC_CHECK, List.of(new LabeledComment(false, "Please vote on Sunday")));
        return out;
    }
}
