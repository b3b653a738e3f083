package dev.talkback.engine;

/** Turning a linear model's margins into probabilities: the logistic function and Platt scaling, for both models. */
final class Calibration {

    private Calibration() {}

    static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    /** Platt scaling of every margin, each example counting once. */
    static double[] platt(double[] margins, boolean[] positive) {
        boolean[] all = new boolean[margins.length];
        java.util.Arrays.fill(all, true);
        return platt(margins, positive, all, false);
    }

    /**
     * Platt scaling with Platt's smoothed targets, fitted by Newton's method, over the examples in {@code use}; when
     * {@code balanced}, each class weighs half of the total, so that 0.5 means "as likely as not" whatever the
     * corpus's share of positives.
     *
     * @return {@code a} and {@code b} of {@code sigmoid(a * margin + b)}
     */
    static double[] platt(double[] margins, boolean[] positive, boolean[] use, boolean balanced) {
        int positives = 0;
        int n = 0;
        for (int i = 0; i < margins.length; i++) {
            if (use[i]) {
                n++;
                positives += positive[i] ? 1 : 0;
            }
        }
        int negatives = n - positives;
        double hiTarget = (positives + 1.0) / (positives + 2.0);
        double loTarget = 1.0 / (negatives + 2.0);
        double positiveWeight = balanced ? n / (2.0 * Math.max(1, positives)) : 1;
        double negativeWeight = balanced ? n / (2.0 * Math.max(1, negatives)) : 1;
        double a = 1;
        double b = 0;
        for (int iteration = 0; iteration < 100; iteration++) {
            double ga = 0;
            double gb = 0;
            double haa = 1e-9;
            double hab = 0;
            double hbb = 1e-9;
            for (int i = 0; i < margins.length; i++) {
                if (!use[i]) {
                    continue;
                }
                double weight = positive[i] ? positiveWeight : negativeWeight;
                double p = sigmoid(a * margins[i] + b);
                double d = (p - (positive[i] ? hiTarget : loTarget)) * weight;
                double h = p * (1 - p) * weight;
                ga += d * margins[i];
                gb += d;
                haa += h * margins[i] * margins[i];
                hab += h * margins[i];
                hbb += h;
            }
            double det = haa * hbb - hab * hab;
            if (Math.abs(det) < 1e-12) {
                break;
            }
            double da = (hbb * ga - hab * gb) / det;
            double db = (haa * gb - hab * ga) / det;
            a -= da;
            b -= db;
            if (Math.abs(da) + Math.abs(db) < 1e-9) {
                break;
            }
        }
        return new double[] {a, b};
    }
}
