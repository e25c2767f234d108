package io.scoreline.model;

/** A model's answer for one row: a number (regression) or a class with its probabilities (classification). */
public record Score(double value, String label, double[] probabilities) {
    public static Score regression(double value) {
        return new Score(value, null, null);
    }

    public boolean isFinite() {
        if (!Double.isFinite(value)) return false;
        if (probabilities != null) {
            for (double p : probabilities) if (!Double.isFinite(p)) return false;
        }
        return true;
    }
}
