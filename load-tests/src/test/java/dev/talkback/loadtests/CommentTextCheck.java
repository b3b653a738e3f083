package dev.talkback.loadtests;

import dev.talkback.engine.SpamModel;
import dev.talkback.engine.TextFingerprint;
import java.util.Locale;

/**
 * Not a test (the module runs none): a check of {@link CommentText} against moderation's spam model and duplicate
 * fingerprint, run by hand with moderation-engine (a test dependency of this module) on the classpath:
 * {@code java -cp load-tests/target/classes:load-tests/target/test-classes:<moderation-engine jar>
 * dev.talkback.loadtests.CommentTextCheck 5000}. Prints the share of texts the model would not approve (spam ≥ 20 %)
 * and of pairs within 7 bits of SimHash (the engine's widest near-duplicate setting).
 */
final class CommentTextCheck {

    private CommentTextCheck() {}

    public static void main(String[] args) {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        SpamModel model = SpamModel.shipped();

        long[] hashes = new long[count];
        int spammy = 0;
        double worst = 0;
        String worstText = "";
        for (int i = 0; i < count; i++) {
            String text = CommentText.next();
            double p = model.spamProbability(text);
            if (p >= 0.2) {
                spammy++;
            }
            if (p > worst) {
                worst = p;
                worstText = text;
            }
            hashes[i] = TextFingerprint.of(text).simHash();
        }
        long near = 0;
        long pairs = (long) count * (count - 1) / 2;
        for (int i = 0; i < count; i++) {
            for (int j = i + 1; j < count; j++) {
                if (Long.bitCount(hashes[i] ^ hashes[j]) <= 7) {
                    near++;
                }
            }
        }
        System.out.printf(
                Locale.ROOT,
                "texts=%d spam>=0.2: %d (worst %.3f: %s)%nnear-duplicate pairs (<=7 bits): %d of %d (%.5f %%), per text %.3f%n",
                count,
                spammy,
                worst,
                worstText,
                near,
                pairs,
                100.0 * near / pairs,
                2.0 * near / count);
    }
}
