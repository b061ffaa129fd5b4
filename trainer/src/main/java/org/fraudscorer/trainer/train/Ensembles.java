package org.fraudscorer.trainer.train;

import java.util.List;
import org.fraudscorer.common.nn.Loss;
import org.fraudscorer.common.nn.MLP;

/**
 * Seed bagging: K networks trained on the same rows for the same number of epochs, each with its own seed (weight
 * initialisation, batch order, dropout masks), combined by the mean of their logits as
 * {@link org.fraudscorer.common.model.ModelBundle} defines. Averaging members that differ only by their random
 * choices removes most of the seed-to-seed variance of a single network at K times the scoring cost.
 */
public final class Ensembles {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Ensembles() {
    }

    /** Member {@code i}'s seed: member 0 keeps the run's seed, the others are spread by a fixed odd constant. */
    public static long memberSeed(long seed, int i) {
        return i == 0 ? seed : seed + GOLDEN * i;
    }

    /**
     * Trains {@code k} members for exactly {@code epochs} epochs each, on up to {@code threads} threads ({@code rows}
     * clipped by the configuration's input clip, as the model's preprocessing will clip them when scoring).
     */
    public static List<MLP> train(TrainerConfig config, TrainingSet rows, int epochs, int k, int threads) {
        if (k < 1) {
            throw new IllegalArgumentException("--ensemble must be at least 1, got " + k);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        TrainingSet data = rows.clipped(config.inputClip());
        List<Trainer.Run> runs = new java.util.ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            runs.add(new Trainer(config.withEpochsAndSeed(epochs, memberSeed(config.seed(), i))).start(data));
        }
        // Each member trains an epoch at a time, on whichever thread is free (Stepwise): the same networks as
        // Trainer.fitEpochs per member, without a thread idling while the last member of a round trains.
        Stepwise.run(threads, k, (i, epoch) -> {
            runs.get(i).epoch(epoch, TrainingListener.NONE);
            return epoch + 1 < epochs;
        });
        return runs.stream().map(Trainer.Run::network).toList();
    }

    /** Ensemble probabilities of every row: sigmoid of the mean member logit, summed in member order. */
    public static double[] probabilities(List<MLP> members, TrainingSet s) {
        double[] sum = new double[s.rows()];
        for (MLP m : members) {
            double[] logits = Trainer.logits(m, s);
            for (int i = 0; i < sum.length; i++) {
                sum[i] += logits[i];
            }
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] = Loss.sigmoid(members.size() == 1 ? sum[i] : sum[i] / members.size());
        }
        return sum;
    }
}
