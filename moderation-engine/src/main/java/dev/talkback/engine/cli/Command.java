package dev.talkback.engine.cli;

import dev.talkback.engine.AbuseModel;
import dev.talkback.engine.Decision;
import dev.talkback.engine.EmailAddressPolicy;
import dev.talkback.engine.ModerationEngine;
import dev.talkback.engine.ModerationSettings;
import dev.talkback.engine.SpamModel;
import dev.talkback.engine.SpamModel.LabeledComment;
import dev.talkback.engine.Submission;
import dev.talkback.engine.Verdict;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The engine's command line, for measurement.
 *
 * <pre>
 * evaluate [--model spam|abuse] --test FILE [--train FILE]... [--approve-below P] [--reject-from P] [--hold-from P]
 * check-emails FILE
 * select-spam [--data DIR]   (see SpamSelection)
 * </pre>
 */
public final class Command {

    private Command() {}

    public static void main(String[] args) throws IOException {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws IOException {
        if (args.length >= 1 && args[0].equals("evaluate")) {
            return evaluate(Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        if (args.length >= 1 && args[0].equals("select-spam")) {
            return SpamSelection.run(Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        if (args.length == 2 && args[0].equals("check-emails")) {
            return checkEmails(Path.of(args[1]), out);
        }
        err.println("usage: evaluate [--model spam|abuse] --test FILE [--train FILE]... [--approve-below P]"
                + " [--reject-from P] [--hold-from P]");
        err.println("       check-emails FILE");
        err.println("       select-spam [--data DIR]");
        return 2;
    }

    private static int evaluate(String[] args, PrintStream out, PrintStream err) throws IOException {
        List<Path> train = new ArrayList<>();
        Path test = null;
        String model = "spam";
        ModerationSettings settings = ModerationSettings.defaults();
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) {
                err.println("missing value after " + args[i]);
                return 2;
            }
            switch (args[i]) {
                case "--test" -> test = Path.of(value);
                case "--model" -> model = value;
                case "--hold-from" ->
                    settings = settings.withAbuseThresholds(Double.parseDouble(value), settings.abuseRejectFrom());
                case "--train" -> train.add(Path.of(value));
                case "--approve-below" ->
                    settings = settings.withSpamThresholds(Double.parseDouble(value), settings.rejectFrom());
                case "--reject-from" ->
                    settings = settings.withSpamThresholds(settings.approveBelow(), Double.parseDouble(value));
                default -> {
                    err.println("unknown option " + args[i]);
                    return 2;
                }
            }
            i++;
        }
        if (test == null) {
            err.println("--test FILE is required");
            return 2;
        }
        // The whole pipeline on text alone: the files have no authors, so addresses are not judged.
        ModerationEngine engine;
        List<String> texts = new ArrayList<>();
        List<Boolean> positives = new ArrayList<>();
        String version;
        if (model.equals("spam")) {
            SpamModel spam;
            if (train.isEmpty()) {
                spam = SpamModel.shipped();
            } else {
                List<LabeledComment> examples = new ArrayList<>();
                for (Path p : train) {
                    examples.addAll(SpamModel.read(p));
                }
                spam = SpamModel.train(examples);
            }
            for (LabeledComment c : SpamModel.read(test)) {
                texts.add(c.text());
                positives.add(c.spam());
            }
            engine =
                    ModerationEngine.builder().spamModel(spam).checkEmail(false).build();
            version = spam.version();
        } else if (model.equals("abuse")) {
            AbuseModel abuse;
            if (train.isEmpty()) {
                abuse = AbuseModel.shipped();
            } else {
                List<AbuseModel.LabeledComment> examples = new ArrayList<>();
                for (Path p : train) {
                    examples.addAll(AbuseModel.read(p));
                }
                abuse = AbuseModel.train(examples);
            }
            for (AbuseModel.LabeledComment c : AbuseModel.read(test)) {
                texts.add(c.text());
                positives.add(c.abusive());
            }
            engine = ModerationEngine.builder()
                    .abuseModel(abuse)
                    .checkEmail(false)
                    .build();
            version = abuse.version();
        } else {
            err.println("--model is spam or abuse, not " + model);
            return 2;
        }
        boolean abuse = model.equals("abuse");
        Evaluation evaluation = new Evaluation();
        List<Submission> submissions = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            submissions.add(new Submission("eval-" + i, "evaluate", "reader", null, null, texts.get(i), null));
        }
        // The decisions are those of the first pass; the rate is measured after the JIT has warmed up (about two
        // seconds of work), over at least one second, as a service that has been running a while would see it.
        List<Decision> decisions = new ArrayList<>();
        for (Submission s : submissions) {
            decisions.add(engine.decide(s, settings));
        }
        long warmUntil = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < warmUntil) {
            for (Submission s : submissions) {
                engine.decide(s, settings);
            }
        }
        long start = System.nanoTime();
        long decided = 0;
        do {
            for (Submission s : submissions) {
                engine.decide(s, settings);
            }
            decided += submissions.size();
        } while (System.nanoTime() - start < 1_000_000_000L);
        double seconds = (System.nanoTime() - start) / 1e9;
        for (int i = 0; i < texts.size(); i++) {
            Decision d = decisions.get(i);
            if (abuse) {
                // a positive is a comment the engine would hold or reject for abuse
                boolean caught = d.reasons().stream().anyMatch(r -> r.ruleId().startsWith("abuse."));
                double score = d.scores().entrySet().stream()
                        .filter(e -> e.getKey().startsWith("abuse."))
                        .mapToDouble(Map.Entry::getValue)
                        .max()
                        .orElse(0);
                evaluation.add(positives.get(i), caught, d.verdict() == Verdict.HOLD, !caught, score);
            } else {
                evaluation.add(
                        positives.get(i),
                        d.verdict() == Verdict.REJECT,
                        d.verdict() == Verdict.HOLD,
                        d.verdict() == Verdict.APPROVE,
                        d.spamProbability().orElse(0.0));
            }
        }
        out.println(evaluation.toJson(decided / seconds, version, abuse));
        return 0;
    }

    private static int checkEmails(Path file, PrintStream out) throws IOException {
        EmailAddressPolicy policy = new EmailAddressPolicy();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isEmpty()) {
                continue;
            }
            EmailAddressPolicy.Check check = policy.check(line);
            String verdict = check.finding() == EmailAddressPolicy.Finding.VALID ? "valid" : "invalid";
            String reason = switch (check.finding()) {
                case VALID -> "ok";
                case DISPOSABLE -> "disposable domain " + check.domain();
                case INVALID -> check.reason();
            };
            out.println(printable(line) + "\t" + verdict + "\t" + reason);
        }
        return 0;
    }

    /** Control characters would break the one-line-per-address output. */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                b.append(String.format(Locale.ROOT, "\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }

    /** Counts and figures: for spam a positive is a rejection, for abuse a hold or rejection for abuse. */
    static final class Evaluation {
        int tp;
        int fp;
        int tn;
        int fn;
        int held;
        int spamApproved;
        final List<double[]> scored = new ArrayList<>();

        void add(boolean actual, boolean predicted, boolean heldComment, boolean approved, double score) {
            if (actual) {
                if (predicted) {
                    tp++;
                } else {
                    fn++;
                }
                if (approved) {
                    spamApproved++;
                }
            } else if (predicted) {
                fp++;
            } else {
                tn++;
            }
            if (heldComment) {
                held++;
            }
            scored.add(new double[] {score, actual ? 1 : 0});
        }

        double auc() {
            scored.sort((a, b) -> Double.compare(a[0], b[0]));
            double rankSum = 0;
            int positives = 0;
            int i = 0;
            while (i < scored.size()) {
                int j = i;
                while (j < scored.size() && scored.get(j)[0] == scored.get(i)[0]) {
                    j++;
                }
                double rank = (i + j + 1) / 2.0;
                for (int k = i; k < j; k++) {
                    if (scored.get(k)[1] == 1) {
                        rankSum += rank;
                        positives++;
                    }
                }
                i = j;
            }
            int negatives = scored.size() - positives;
            return positives == 0 || negatives == 0
                    ? Double.NaN
                    : (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
        }

        String toJson(double perSecond, String modelVersion, boolean abuse) {
            int n = tp + fp + tn + fn;
            double precision = tp + fp == 0 ? 0 : (double) tp / (tp + fp);
            double recall = tp + fn == 0 ? 0 : (double) tp / (tp + fn);
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            double den = Math.sqrt((double) (tp + fp) * (tp + fn) * (tn + fp) * (tn + fn));
            double mcc = den == 0 ? 0 : ((double) tp * tn - (double) fp * fn) / den;
            double fpr = fp + tn == 0 ? 0 : (double) fp / (fp + tn);
            double approved = tp + fn == 0 ? 0 : (double) spamApproved / (tp + fn);
            return String.format(
                    Locale.ROOT,
                    "{\"n\":%d,\"tp\":%d,\"fp\":%d,\"tn\":%d,\"fn\":%d,\"precision\":%.4f,"
                            + "\"recall\":%.4f,\"f1\":%.4f,\"mcc\":%.4f,\"fpr\":%.4f,"
                            + (abuse ? "" : "\"spam_approved\":%.4f,")
                            + "\"held\":%.4f,\"auc\":%.4f,\"comments_per_second\":%.0f,\"model_version\":\"%s\"}",
                    abuse
                            ? new Object[] {
                                n,
                                tp,
                                fp,
                                tn,
                                fn,
                                precision,
                                recall,
                                f1,
                                mcc,
                                fpr,
                                (double) held / n,
                                auc(),
                                perSecond,
                                modelVersion
                            }
                            : new Object[] {
                                n,
                                tp,
                                fp,
                                tn,
                                fn,
                                precision,
                                recall,
                                f1,
                                mcc,
                                fpr,
                                approved,
                                (double) held / n,
                                auc(),
                                perSecond,
                                modelVersion
                            });
        }
    }
}
