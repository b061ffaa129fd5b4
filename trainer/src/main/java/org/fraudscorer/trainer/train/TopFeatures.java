package org.fraudscorer.trainer.train;

import java.util.List;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelScorer;

/**
 * The explanation of one scored row as {@code score --top-features N} writes it: the row's {@code N} largest
 * gradient × input contributions, largest first, as {@code feature:contribution} joined by {@code ;} (e.g.
 * {@code V14:2.079757378802323;V11:1.0456785917601326}). The same ranking and the same numbers as the live scorer's
 * {@code topFeatures} of a flagged record (one {@link ModelScorer} path, {@link ModelScorer#topK}); contributions
 * are written with {@link Double#toString}, so the two compare bit for bit. One instance per thread.
 */
public final class TopFeatures {

    /** The column's name in {@code score}'s output. */
    public static final String COLUMN = "top_features";

    private final ModelScorer scorer;
    private final List<String> names;
    private final double[] contributions;
    private final int[] top;

    /**
     * @param model the model whose scores are explained
     * @param count how many features to list, at least 1
     */
    public TopFeatures(ModelBundle model, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, not " + count);
        }
        this.scorer = model.newScorer();
        this.names = model.schema().featureNames();
        this.contributions = new double[names.size()];
        this.top = new int[Math.min(count, names.size())];
    }

    /** Appends the explanation of the row with these model inputs to {@code out}. */
    public void appendTo(StringBuilder out, double[] inputs) {
        scorer.probability(inputs);
        scorer.contributions(contributions);
        int n = ModelScorer.topK(contributions, contributions.length, top.length, top);
        for (int k = 0; k < n; k++) {
            if (k > 0) {
                out.append(';');
            }
            out.append(names.get(top[k])).append(':').append(contributions[top[k]]);
        }
    }
}
