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
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * A local abuse model: a score per {@link AbuseCategory} and the words or phrases that raised it, from two parts.
 * <ul>
 * <li>Rules over word lists with their grammar ({@link AbuseText}): a name called, a person or a group said to be
 * something vile, hatred or violence aimed at someone, a slur, vulgarity; not when negated ("I don't hate ..."),
 * quoted or reported ("stop calling them ..."), and an insulting adjective only when said of a person ("the plan is
 * terrible" is not abuse). Identity terms are targets, never evidence: "I am a proud gay muslim" scores nothing.</li>
 * <li>A learned linear model per category that has labelled examples (the shipped corpus labels abusive tweets,
 * hateful ones as identity attacks; moderators may label any category): logistic regression over words and word
 * pairs, with identity terms masked before it sees them (so it cannot learn that a group's name is abusive),
 * negated words kept apart and quoted ones left out, calibrated by Platt scaling on out-of-fold scores.</li>
 * </ul>
 * A category's score is the calibrated probability of its learned part (the toxicity model for insults) moved by the
 * rules' log-odds; identity, threat and obscenity start low and need their rules or their own learned part. Immutable
 * and thread-safe; learning from moderators means training a new one ({@link #retrainedWith}) and handing it to
 * {@link ModerationEngine#useAbuseModel}.
 */
public final class AbuseModel {

    /** The corpus the shipped model is trained on (see NOTICE.md). */
    public static final List<String> SHIPPED_CORPORA = List.of("davidson_tweets.tsv");

    private static final int EPOCHS = 3;
    private static final double LEARNING_RATE = 0.3;
    private static final double L2 = 1e-6;
    private static final int FOLDS = 3;
    private static final long SEED = 20170101L;
    /** A category needs this many labelled examples before it gets a learned part of its own. */
    private static final int MIN_EXAMPLES = 5;
    /** How many corpus examples one moderator's label weighs. */
    private static final int LABEL_WEIGHT = 50;
    /** Where a category without a learned part of its own starts, in log-odds, before its rules speak. */
    private static final double PRIOR = -3.5;
    /** How much of the general toxicity a rule-driven category takes on. */
    private static final double TOXICITY_SHARE = 0.3;
    /**
     * An insult score with nothing aimed at anyone (profanity alone, "this is bullshit") grows only a little above
     * this log-odds: the highest it can reach stays under an even chance, so under the default hold threshold.
     */
    private static final double UNTARGETED = 0.5;

    private static final double UNTARGETED_SLOPE = 0.03;

    private final String version;
    private final List<LabeledComment> trainingSet;
    private final Map<AbuseCategory, Linear> learned;

    private AbuseModel(String version, List<LabeledComment> trainingSet, Map<AbuseCategory, Linear> learned) {
        this.version = version;
        this.trainingSet = trainingSet;
        this.learned = learned;
    }

    /** A calibrated linear model: weights over {@link AbuseText}'s hashed features, then Platt's a and b. */
    private record Linear(float[] weights, double bias, double a, double b) {

        double margin(AbuseText t) {
            double m = bias;
            for (int i = 0; i < t.featureCount; i++) {
                m += weights[t.features[i]] * t.values[i];
            }
            return m;
        }

        double logOdds(AbuseText t) {
            return clamp(a * margin(t) + b);
        }
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
            return scores.values().stream()
                    .mapToDouble(Double::doubleValue)
                    .max()
                    .orElse(0);
        }

        /** The categories scored at or above the threshold, highest first. */
        public List<AbuseCategory> atLeast(double threshold) {
            return scores.entrySet().stream()
                    .filter(e -> e.getValue() >= threshold)
                    .sorted(Map.Entry.<AbuseCategory, Double>comparingByValue()
                            .reversed()
                            .thenComparing(Map.Entry.comparingByKey()))
                    .map(Map.Entry::getKey)
                    .toList();
        }
    }

    /** Trains a model on the given examples; both labels must be present. */
    public static AbuseModel train(Collection<LabeledComment> examples) {
        List<LabeledComment> list = List.copyOf(examples);
        long abusive = list.stream().filter(LabeledComment::abusive).count();
        if (abusive == 0 || abusive == list.size()) {
            throw new IllegalArgumentException("training needs both abusive and other examples");
        }
        List<AbuseText> texts = list.stream()
                .map(e -> AbuseText.of(NormalizedText.of(e.text())))
                .toList();
        Map<AbuseCategory, Linear> learned = new EnumMap<>(AbuseCategory.class);
        for (AbuseCategory c : AbuseCategory.values()) {
            // the toxicity model (insults) learns from every abusive example; a category of its own only from
            // examples labelled with it, against the comments that are not abusive
            boolean[] use = new boolean[list.size()];
            boolean[] positive = new boolean[list.size()];
            int positives = 0;
            for (int i = 0; i < use.length; i++) {
                LabeledComment e = list.get(i);
                positive[i] = c == AbuseCategory.INSULT ? e.abusive() : e.category() == c;
                use[i] = !e.abusive() || positive[i];
                positives += positive[i] ? 1 : 0;
            }
            if (positives >= MIN_EXAMPLES) {
                learned.put(c, fitCalibrated(texts, positive, use));
            }
        }
        return new AbuseModel(versionOf(list), list, Map.copyOf(learned));
    }

    /** The model trained on the shipped corpus, built once per class loader. */
    public static AbuseModel shipped() {
        return Shipped.MODEL;
    }

    /** The examples the shipped model is trained on. */
    public static List<LabeledComment> shippedExamples() {
        List<LabeledComment> all = new ArrayList<>();
        for (String name : SHIPPED_CORPORA) {
            try (InputStream in = AbuseModel.class.getResourceAsStream("abuse/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("no shipped corpus abuse/" + name);
                }
                all.addAll(read(in));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return all;
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

    /**
     * A new model trained on this one's examples plus the given ones (moderators' labels). Each label counts
     * {@value #LABEL_WEIGHT} times: it is about this site's own readers, and a handful of them must be heard next to
     * tens of thousands of tweets.
     */
    public AbuseModel retrainedWith(Collection<LabeledComment> more) {
        List<LabeledComment> all = new ArrayList<>(trainingSet);
        for (int i = 0; i < LABEL_WEIGHT; i++) {
            all.addAll(more);
        }
        return train(all);
    }

    /** The scores and evidence of a text. */
    public Assessment assess(String text) {
        return assess(NormalizedText.of(text));
    }

    Assessment assess(NormalizedText text) {
        AbuseText t = AbuseText.of(text);
        Map<AbuseCategory, Double> scores = new EnumMap<>(AbuseCategory.class);
        Map<AbuseCategory, List<String>> evidence = new EnumMap<>(AbuseCategory.class);
        Linear toxicity = learned.get(AbuseCategory.INSULT);
        double general = toxicity == null ? PRIOR : toxicity.logOdds(t);
        for (AbuseCategory c : AbuseCategory.values()) {
            double rules = t.ruleEvidence.getOrDefault(c, 0.0);
            Linear own = learned.get(c);
            double z;
            if (c == AbuseCategory.INSULT) {
                z = general + rules;
                if (!t.targeted && (t.swears || !t.secondPerson)) {
                    // what the rules see aimed at nobody is not an insult: swearing ("this is fucking brilliant,
                    // thank you") or prose whose words the tweets happened to use ("the killer was sentenced"); the
                    // learned part still orders such comments but cannot hold them. Aimed at the reader ("you
                    // absolute florbix"), what moderators taught it counts in full.
                    double knee = -UNTARGETED;
                    z = z <= knee ? z : knee + UNTARGETED_SLOPE * (z - knee);
                }
            } else {
                z = PRIOR
                        + (own == null ? 0 : Math.max(0, own.logOdds(t) - PRIOR))
                        + rules
                        + TOXICITY_SHARE * Math.min(general, 3);
                if (c == AbuseCategory.IDENTITY && !t.mentionsIdentity) {
                    // an attack on a group names the group; without one it is an insult, not an identity attack
                    z = Math.min(z, PRIOR);
                }
            }
            double p = Calibration.sigmoid(z);
            scores.put(c, p);
            List<String> words = explain(
                    c, t, own == null && c != AbuseCategory.INSULT ? null : c == AbuseCategory.INSULT ? toxicity : own);
            if (!words.isEmpty() && p >= 0.05) {
                evidence.put(c, words);
            }
        }
        return new Assessment(scores, evidence);
    }

    /** The rules' phrases first, then the learned part's strongest words, at most five and each once. */
    private static List<String> explain(AbuseCategory c, AbuseText t, @Nullable Linear model) {
        List<String> out = new ArrayList<>(5);
        List<AbuseText.Hit> hits = t.hits.get(c);
        if (hits != null) {
            hits.stream()
                    .sorted((x, y) -> Double.compare(y.strength(), x.strength()))
                    .map(AbuseText.Hit::phrase)
                    .filter(p -> !out.contains(p))
                    .limit(5)
                    .forEach(out::add);
        }
        if (model == null || out.size() >= 5) {
            return out;
        }
        // the learned part's three strongest positive contributions from words of the text
        int[] best = {-1, -1, -1};
        double[] weight = {0, 0, 0};
        for (int i = 0; i < t.featureCount; i++) {
            if (t.featureWord[i] < 0) {
                continue;
            }
            double w = model.weights()[t.features[i]] * t.values[i] * model.a();
            for (int k = 0; k < 3; k++) {
                if (w > weight[k]) {
                    for (int m = 2; m > k; m--) {
                        weight[m] = weight[m - 1];
                        best[m] = best[m - 1];
                    }
                    weight[k] = w;
                    best[k] = i;
                    break;
                }
            }
        }
        for (int k = 0; k < 3 && out.size() < 5; k++) {
            if (best[k] < 0 || weight[k] < 0.25) {
                continue;
            }
            int word = t.featureWord[best[k]];
            String phrase =
                    t.featurePair[best[k]] && word > 0 ? previousWord(t, word) + " " + t.words[word] : t.words[word];
            if (out.stream().noneMatch(p -> p.contains(phrase) || phrase.contains(p))) {
                out.add(phrase);
            }
        }
        return out;
    }

    private static String previousWord(AbuseText t, int word) {
        int k = word - 1;
        while (k > 0 && (t.kinds[k] & AbuseText.CONTINUED) != 0) {
            k--;
        }
        return t.words[k];
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

    private static Linear fitCalibrated(List<AbuseText> texts, boolean[] positive, boolean[] use) {
        int[] fold = new int[texts.size()];
        Random random = new Random(SEED);
        for (int i = 0; i < fold.length; i++) {
            fold[i] = random.nextInt(FOLDS);
        }
        double[] margins = new double[texts.size()];
        for (int f = 0; f < FOLDS; f++) {
            Linear model = fit(texts, positive, use, fold, f);
            for (int i = 0; i < margins.length; i++) {
                if (fold[i] == f) {
                    margins[i] = model.margin(texts.get(i));
                }
            }
        }
        double[] platt = Calibration.platt(margins, positive, use, true);
        Linear all = fit(texts, positive, use, fold, -1);
        return new Linear(all.weights(), all.bias(), platt[0], platt[1]);
    }

    /**
     * Logistic regression by AdaGrad, each class weighted to half of the total: the corpora's share of abuse (three
     * tweets in four) says nothing about a newsroom's, so the calibrated score answers "as likely abusive as not"
     * at 0.5.
     */
    private static Linear fit(List<AbuseText> texts, boolean[] positive, boolean[] use, int[] fold, int heldOut) {
        float[] w = new float[AbuseText.DIMENSIONS];
        float[] g2 = new float[AbuseText.DIMENSIONS];
        double bias = 0;
        double biasG2 = 0;
        int[] order = new int[texts.size()];
        int n = 0;
        int positives = 0;
        for (int i = 0; i < order.length; i++) {
            if (use[i] && fold[i] != heldOut) {
                order[n++] = i;
                positives += positive[i] ? 1 : 0;
            }
        }
        double positiveWeight = n / (2.0 * Math.max(1, positives));
        double negativeWeight = n / (2.0 * Math.max(1, n - positives));
        Random random = new Random(SEED + heldOut);
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int k = 0; k < n; k++) {
                int e = order[k];
                AbuseText t = texts.get(e);
                double m = bias;
                for (int i = 0; i < t.featureCount; i++) {
                    m += w[t.features[i]] * t.values[i];
                }
                double gradient = (Calibration.sigmoid(m) - (positive[e] ? 1 : 0))
                        * (positive[e] ? positiveWeight : negativeWeight);
                for (int i = 0; i < t.featureCount; i++) {
                    int j = t.features[i];
                    double g = gradient * t.values[i] + L2 * w[j];
                    g2[j] += (float) (g * g);
                    w[j] -= (float) (LEARNING_RATE * g / Math.sqrt(g2[j] + 1e-8));
                }
                biasG2 += gradient * gradient;
                bias -= LEARNING_RATE * gradient / Math.sqrt(biasG2 + 1e-8);
            }
        }
        return new Linear(w, bias, 1, 0);
    }

    private static double clamp(double z) {
        return Math.max(-12, Math.min(12, z));
    }

    private static String versionOf(List<LabeledComment> examples) {
        long h = 1125899906842597L;
        for (LabeledComment e : examples) {
            h = 31 * h
                    + (e.abusive()
                            ? 1 + (e.category() == null ? 0 : e.category().ordinal() + 1)
                            : 0);
            h = 31 * h + e.text().hashCode();
        }
        return "abuse-lr-rules-1/" + examples.size() + "/" + String.format("%08x", (int) (h ^ (h >>> 32)));
    }

    private static final class Shipped {
        static final AbuseModel MODEL = train(shippedExamples());
    }
}
