package org.fraudscorer.trainer.retrain;

import java.util.LinkedHashMap;
import java.util.Map;
import org.fraudscorer.common.metrics.ApGainBootstrap;
import org.fraudscorer.common.model.ModelBundle;

/**
 * A trained challenger and both models' numbers on the evaluation window.
 *
 * @param challenger        the model that would be published (the procedure's shipped model: refit on the latest
 *                          labelled rows unless {@code --no-refit})
 * @param evaluatedVersion  the version of the model actually measured (trained without the window's rows)
 * @param training          what the evaluated challenger learnt from, e.g. {@code 2018-04-01..2018-05-10}
 * @param window            the evaluation window, e.g. {@code 2018-05-18..2018-05-24}
 * @param challengerMetrics the evaluated challenger's numbers on the window's rows judged
 * @param champion          the champion's numbers on the same rows, null when no champion serves
 * @param apGain            the bootstrap of the challenger's AP gain over the champion on the window's rows
 *                          ({@link ChallengerGate#bootstrap}), null when no champion serves
 * @param caveat            why the comparison may not be fair (the champion was fitted on the window's days, or on
 *                          rows of it), or null
 * @param overlap           the window's rows the champion may have been fit on, where its provenance tells
 *                          (creditcard rows from the topics, {@link CreditCardRetraining}); null where it does not
 */
public record Challenge(ModelBundle challenger, String evaluatedVersion, String training, String window,
                        WindowMetrics challengerMetrics, WindowMetrics champion, ApGainBootstrap apGain,
                        String caveat, Overlap overlap) {

    /**
     * Of the window's rows, {@code seen} may have been fit on by the champion; {@code leftOut} of them were left out of
     * the judgement: all of them when the others still judge a model (both models are then measured on those only),
     * else none (and the {@code caveat} says so).
     *
     * @param note the output's line on the rows left out, null when none is
     */
    public record Overlap(int seen, int leftOut, String note) {
    }

    /** Without an overlap (the champion's provenance does not say which rows it was fit on). */
    public Challenge(ModelBundle challenger, String evaluatedVersion, String training, String window,
                     WindowMetrics challengerMetrics, WindowMetrics champion, ApGainBootstrap apGain, String caveat) {
        this(challenger, evaluatedVersion, training, window, challengerMetrics, champion, apGain, caveat, null);
    }

    /** Without a bootstrap of the gain (the gate then reports no interval and cannot ask for confidence). */
    public Challenge(ModelBundle challenger, String evaluatedVersion, String training, String window,
                     WindowMetrics challengerMetrics, WindowMetrics champion) {
        this(challenger, evaluatedVersion, training, window, challengerMetrics, champion, null, null);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("training", training);
        m.put("window", window);
        m.put("challenger", challengerMetrics.toMap());
        m.put("champion", champion == null ? null : champion.toMap());
        m.put("window_seen_by_champion", overlap == null ? null : overlap.seen());
        m.put("window_left_out", overlap == null ? 0 : overlap.leftOut());
        m.put("caveat", caveat);
        return m;
    }
}
