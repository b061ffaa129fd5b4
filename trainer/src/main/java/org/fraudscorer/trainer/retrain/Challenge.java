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
 * @param champion          the champion's numbers on the same rows, null when no champion serves
 * @param apGain            the bootstrap of the challenger's AP gain over the champion on the window's rows
 *                          ({@link ChallengerGate#bootstrap}), null when no champion serves
 * @param caveat            why the comparison may not be fair (the champion was fitted on the window's days), or null
 */
public record Challenge(ModelBundle challenger, String evaluatedVersion, String training, String window,
                        WindowMetrics challengerMetrics, WindowMetrics champion, ApGainBootstrap apGain,
                        String caveat) {

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
        m.put("caveat", caveat);
        return m;
    }
}
