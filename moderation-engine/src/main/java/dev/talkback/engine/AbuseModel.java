package dev.talkback.engine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * A local abuse model: a calibrated score per {@link AbuseCategory} and the words or phrases that raised it.
 * Immutable and thread-safe; learning from moderators means training a new one ({@link #retrainedWith}) and handing
 * it to {@link ModerationEngine#useAbuseModel}.
 */
public final class AbuseModel {

    private final String version;
    private final List<LabeledComment> trainingSet;

    private AbuseModel(String version, List<LabeledComment> trainingSet) {
        this.version = version;
        this.trainingSet = trainingSet;
    }

    /**
     * A comment with its label, from a corpus or a moderator.
     *
     * @param abusive  whether it is abusive
     * @param category the kind of abuse when known (a moderator's label may name it), else {@code null}
     * @param text     the text
     */
    public record LabeledComment(boolean abusive, @Nullable AbuseCategory category, String text) {

        public LabeledComment {
            Objects.requireNonNull(text, "text");
            if (!abusive && category != null) {
                throw new IllegalArgumentException("a comment that is not abusive has no abuse category");
            }
        }
    }

    /**
     * What the model found.
     *
     * @param scores   calibrated probability per category, every category present
     * @param evidence per category, the words or phrases that raised its score most, strongest first (at most five)
     */
    public record Assessment(Map<AbuseCategory, Double> scores, Map<AbuseCategory, List<String>> evidence) {

        public Assessment {
            scores = Map.copyOf(scores);
            evidence = Map.copyOf(evidence);
        }

        public double score(AbuseCategory category) {
            return scores.getOrDefault(category, 0.0);
        }

        public List<String> evidence(AbuseCategory category) {
            return evidence.getOrDefault(category, List.of());
        }

        /** The highest score of any category. */
        public double highest() {
            return scores.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        }

        /** The categories scored at or above the threshold, highest first. */
        public List<AbuseCategory> atLeast(double threshold) {
            return scores.entrySet().stream().filter(e -> e.getValue() >= threshold)
                    .sorted(Map.Entry.<AbuseCategory, Double>comparingByValue().reversed()
                            .thenComparing(Map.Entry.comparingByKey()))
                    .map(Map.Entry::getKey).toList();
        }
    }

    /** Trains a model on the given examples; both labels must be present. */
    public static AbuseModel train(Collection<LabeledComment> examples) {
        List<LabeledComment> list = List.copyOf(examples);
        return new AbuseModel("abuse-0/" + list.size(), list);
    }

    /** The model trained on the shipped corpus, built once per class loader. */
    public static AbuseModel shipped() {
        return Shipped.MODEL;
    }

    /** The examples the shipped model is trained on. */
    public static List<LabeledComment> shippedExamples() {
        return List.of();
    }

    /**
     * Reads {@code label<TAB>text} lines: {@code abusive} or {@code ok}, or a category id ({@code insult},
     * {@code identity}, {@code threat}, {@code obscene}) for an abusive comment of that kind; other lines are skipped.
     */
    public static List<LabeledComment> read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        }
    }

    static List<LabeledComment> read(InputStream in) throws IOException {
        List<LabeledComment> out = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            int tab = line.indexOf('\t');
            if (tab < 0) {
                continue;
            }
            String label = line.substring(0, tab).trim().toLowerCase(Locale.ROOT);
            String text = line.substring(tab + 1);
            if (label.equals("ok")) {
                out.add(new LabeledComment(false, null, text));
            } else if (label.equals("abusive")) {
                out.add(new LabeledComment(true, null, text));
            } else {
                Optional<AbuseCategory> category = AbuseCategory.fromId(label);
                category.ifPresent(c -> out.add(new LabeledComment(true, c, text)));
            }
        }
        return out;
    }

    /** A new model trained on this one's examples plus the given ones (moderators' labels). */
    public AbuseModel retrainedWith(Collection<LabeledComment> more) {
        List<LabeledComment> all = new ArrayList<>(trainingSet);
        all.addAll(more);
        return train(all);
    }

    /** The scores and evidence of a text. */
    public Assessment assess(String text) {
        return assess(NormalizedText.of(text));
    }

    Assessment assess(NormalizedText text) {
        Map<AbuseCategory, Double> scores = new EnumMap<>(AbuseCategory.class);
        for (AbuseCategory c : AbuseCategory.values()) {
            scores.put(c, 0.0);
        }
        return new Assessment(scores, Map.of());
    }

    /** Identifies the model in every decision. */
    public String version() {
        return version;
    }

    public int trainingSetSize() {
        return trainingSet.size();
    }

    @Override
    public String toString() {
        return "AbuseModel[" + version + "]";
    }

    private static final class Shipped {
        static final AbuseModel MODEL = train(shippedExamples());
    }
}
