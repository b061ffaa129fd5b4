package org.fraudscorer.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.fraudscorer.common.metrics.RankedScores.labels;
import static org.fraudscorer.common.metrics.RankedScores.ranked;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ApGainBootstrapTest {
    private static final int REPLICATES = 1_000;
    private static final long SEED = 42;

    /**
     * 10 frauds among 1,000 payments; the challenger lets one genuine payment fewer outrank the second fraud and four
     * more the third: AP +0.0042 on the rows (0.2704 against 0.2662), the balance of two frauds' fates, which a
     * resample draws 0, 1, 2... times each.
     */
    static final int[] FEW_CHAMPION = {0, 2, 5, 10, 20, 40, 80, 160, 320, 640};
    static final int[] FEW_CHALLENGER = {0, 1, 9, 10, 20, 40, 80, 160, 320, 640};

    @Test
    void identicalScoresGiveAZeroIntervalAndEveryResampleReachesAZeroGain() {
        Rows rows = Rows.random(3, 2_000, 30, 0.05, 1);
        ApGainBootstrap b = ApGainBootstrap.of(rows.scores(), rows.scores().clone(), rows.labels(), null, REPLICATES,
                SEED);
        assertThat(b.gain()).isZero();
        assertThat(b.quantile(0.05)).isZero();
        assertThat(b.quantile(0.95)).isZero();
        assertThat(b.shareAtLeast(0)).isEqualTo(1.0);
        assertThat(b.shareAtLeast(0.001)).isZero();
        assertThat(b.replicates()).isEqualTo(REPLICATES);
    }

    /** The point gain is the difference of RankingMetrics' APs, ties and weights included, to the last bit. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void thePointGainIsTheDifferenceOfTheTwoAveragePrecisions(long seed) {
        Rows a = Rows.random(seed, 500, 12, 0.1, 5);
        Rows b = Rows.random(seed + 100, 500, 7, 0.1, 5);
        ApGainBootstrap g = ApGainBootstrap.of(a.scores(), b.scores(), a.labels(), a.weights(), 10, SEED);
        assertThat(g.gain()).isEqualTo(RankingMetrics.averagePrecision(a.scores(), a.labels(), a.weights())
                - RankingMetrics.averagePrecision(b.scores(), a.labels(), a.weights()));
    }

    @Test
    void aClearlyBetterChallengerHasItsWholeIntervalAboveZero() {
        // 200 frauds among 5,000 genuine payments; the challenger lets half as many genuine payments outrank each fraud
        int[] champion = new int[200];
        int[] challenger = new int[200];
        for (int i = 0; i < 200; i++) {
            champion[i] = 20 * i;
            challenger[i] = 10 * i;
        }
        ApGainBootstrap b = ApGainBootstrap.of(ranked(challenger, 5_000), ranked(champion, 5_000), labels(200, 5_000),
                null, REPLICATES, SEED);
        assertThat(b.gain()).isCloseTo(0.0441, within(1e-4));
        assertThat(b.quantile(0.05)).isGreaterThan(0.02).isLessThan(b.gain());
        assertThat(b.quantile(0.95)).isGreaterThan(b.gain());
        assertThat(b.shareAtLeast(0)).isEqualTo(1.0);
    }

    @Test
    void aTinyGainOnFewFraudsHasAnIntervalAcrossZero() {
        ApGainBootstrap b = ApGainBootstrap.of(ranked(FEW_CHALLENGER, 990), ranked(FEW_CHAMPION, 990),
                labels(10, 990), null, REPLICATES, SEED);
        assertThat(b.gain()).isCloseTo(0.0041667, within(1e-6));
        assertThat(b.quantile(0.05)).isNegative();
        assertThat(b.quantile(0.95)).isPositive();
        assertThat(b.shareAtLeast(0)).isBetween(0.3, 0.8);
    }

    @Test
    void theSameSeedGivesTheSameResamplesAndAnotherSeedOthers() {
        double[] a = ranked(FEW_CHALLENGER, 990);
        double[] b = ranked(FEW_CHAMPION, 990);
        int[] y = labels(10, 990);
        double[] first = ApGainBootstrap.of(a, b, y, null, REPLICATES, SEED).sortedGains();
        assertThat(ApGainBootstrap.of(a, b, y, null, REPLICATES, SEED).sortedGains()).containsExactly(first);
        assertThat(ApGainBootstrap.of(a, b, y, null, REPLICATES, SEED + 1).sortedGains()).isNotEqualTo(first);
    }

    /** Every replicate draws as many frauds and as many genuine payments as the rows hold; rows of weight 0 never. */
    @Test
    void everyReplicateKeepsTheCountOfEachClass() {
        Rows rows = Rows.random(8, 3_000, 40, 0.02, 3);
        double[] w = rows.weights().clone();
        w[5] = 0;
        w[17] = 0;
        int frauds = 0;
        int genuine = 0;
        for (int i = 0; i < w.length; i++) {
            if (w[i] > 0) {
                frauds += rows.labels()[i];
                genuine += 1 - rows.labels()[i];
            }
        }
        List<int[]> seen = new ArrayList<>();
        ApGainBootstrap.of(rows.scores(), Rows.random(9, 3_000, 40, 0.02, 3).scores(), rows.labels(), w, 200, SEED,
                seen::add);
        assertThat(seen).hasSize(200);
        for (int[] counts : seen) {
            int drawnFrauds = 0;
            int drawnGenuine = 0;
            for (int i = 0; i < counts.length; i++) {
                drawnFrauds += rows.labels()[i] * counts[i];
                drawnGenuine += (1 - rows.labels()[i]) * counts[i];
            }
            assertThat(drawnFrauds).isEqualTo(frauds);
            assertThat(drawnGenuine).isEqualTo(genuine);
            assertThat(counts[5]).isZero();
            assertThat(counts[17]).isZero();
        }
    }

    /**
     * A perfect challenger against a champion that puts every genuine payment above every fraud, each class tied: the
     * champion's AP is the prevalence, which stratified resamples keep, so every replicate's gain is the window's
     * (resampled without strata, a replicate's fraud count and the gain would vary). With each genuine row weighing 10
     * ({@code --negative-weight 10}) the prevalence, and the gain, are those of 10 times as many genuine payments.
     */
    @Test
    void withTheClassesKeptAGainThatDependsOnlyOnThePrevalenceDoesNotVaryAndWeightsSetThePrevalence() {
        int frauds = 20;
        int genuine = 980;
        int[] y = labels(frauds, genuine);
        double[] perfect = new double[y.length];
        double[] reversed = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            perfect[i] = y[i];
            reversed[i] = 1 - y[i];
        }
        ApGainBootstrap unweighted = ApGainBootstrap.of(perfect, reversed, y, null, REPLICATES, SEED);
        assertThat(unweighted.gain()).isEqualTo(1 - 20.0 / 1_000);
        assertThat(unweighted.sortedGains()).containsOnly(unweighted.gain());

        double[] w = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            w[i] = y[i] == 1 ? 1 : 10;
        }
        ApGainBootstrap weighted = ApGainBootstrap.of(perfect, reversed, y, w, REPLICATES, SEED);
        assertThat(weighted.gain()).isEqualTo(1 - 20.0 / (20 + 9_800));
        assertThat(weighted.sortedGains()).containsOnly(weighted.gain());
    }

    /** Rows of weight 0 are as if deleted: the same draws among the rest, the same gains. */
    @Test
    void rowsOfWeightZeroAreAsIfDeleted() {
        Rows rows = Rows.random(4, 1_000, 25, 0.05, 4);
        double[] other = Rows.random(5, 1_000, 25, 0.05, 4).scores();
        double[] w = rows.weights().clone();
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < w.length; i++) {
            if (i % 7 == 3) {
                w[i] = 0;
            } else {
                kept.add(i);
            }
        }
        int[] keep = kept.stream().mapToInt(Integer::intValue).toArray();
        ApGainBootstrap withZeros = ApGainBootstrap.of(rows.scores(), other, rows.labels(), w, 300, SEED);
        ApGainBootstrap without = ApGainBootstrap.of(pick(rows.scores(), keep), pick(other, keep),
                Arrays.stream(keep).map(i -> rows.labels()[i]).toArray(), pick(w, keep), 300, SEED);
        assertThat(withZeros.sortedGains()).containsExactly(without.sortedGains());
    }

    /**
     * Each replicate's gain is RankingMetrics' AP difference with every row weighing (times drawn) × (its weight): ties
     * and weights as there, to the last bit.
     */
    @ParameterizedTest
    @ValueSource(longs = {31, 32})
    void eachReplicateIsTheAveragePrecisionOfTheDrawnRowsWithTheirWeights(long seed) {
        Rows a = Rows.random(seed, 800, 15, 0.08, 6);
        double[] b = Rows.random(seed + 50, 800, 9, 0.08, 6).scores();
        List<int[]> seen = new ArrayList<>();
        ApGainBootstrap g = ApGainBootstrap.of(a.scores(), b, a.labels(), a.weights(), 50, SEED, seen::add);
        double[] expected = new double[seen.size()];
        for (int r = 0; r < expected.length; r++) {
            double[] w = new double[800];
            for (int i = 0; i < w.length; i++) {
                w[i] = seen.get(r)[i] * a.weights()[i];
            }
            expected[r] = RankingMetrics.averagePrecision(a.scores(), a.labels(), w)
                    - RankingMetrics.averagePrecision(b, a.labels(), w);
        }
        Arrays.sort(expected);
        assertThat(g.sortedGains()).containsExactly(expected);
    }

    @Test
    void quantilesInterpolateBetweenTheSortedReplicateGains() {
        double[] a = ranked(FEW_CHALLENGER, 990);
        double[] b = ranked(FEW_CHAMPION, 990);
        ApGainBootstrap g = ApGainBootstrap.of(a, b, labels(10, 990), null, 101, SEED);
        double[] sorted = g.sortedGains();
        assertThat(g.quantile(0.05)).isEqualTo(sorted[5]); // (101 - 1) * 0.05
        assertThat(g.quantile(0)).isEqualTo(sorted[0]);
        assertThat(g.quantile(1)).isEqualTo(sorted[100]);
        assertThat(g.quantile(0.055)).isCloseTo(sorted[5] + 0.5 * (sorted[6] - sorted[5]),
                within(1e-15));
    }

    @Test
    void rowsWithoutFraudOrTooFewReplicatesAreRefused() {
        double[] s = {0.1, 0.2, 0.3};
        assertThatThrownBy(() -> ApGainBootstrap.of(s, s, new int[] {0, 0, 0}, null, 10, SEED))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no fraud");
        assertThatThrownBy(() -> ApGainBootstrap.of(s, s, new int[] {0, 1, 0}, null, 0, SEED))
                .hasMessageContaining("replicates = 0");
        assertThatThrownBy(() -> ApGainBootstrap.of(s, new double[] {0.1, 0.2}, new int[] {0, 1, 0}, null, 10, SEED))
                .hasMessage("champion has length 2; expected 3 (the length of challenger)");
    }

    private static double[] pick(double[] values, int[] rows) {
        return Arrays.stream(rows).mapToDouble(i -> values[i]).toArray();
    }
}
