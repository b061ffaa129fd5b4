package org.fraudscorer.trainer.train;

import java.util.List;
import org.fraudscorer.common.nn.MLP;

/**
 * The fitted network (weights of the best validation epoch) and the epoch history.
 *
 * @param stoppedEarly  true when patience ran out before the last epoch
 */
public record TrainingResult(MLP network, List<EpochStats> history, int bestEpoch, boolean stoppedEarly,
                             double classWeightNegative, double classWeightPositive, int trainRows,
                             int trainPositives, double seconds) {
    public TrainingResult {
        history = List.copyOf(history);
    }
}
