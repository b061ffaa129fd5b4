package org.fraudscorer.trainer.events;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The handbook's card precision top-k ({@code card_precision_top_k}): an investigator checks k cards a day. Per
 * day, in increasing order: drop cards already detected on an earlier day, take each card's maximum score and
 * maximum label over the day, rank cards by score, and count compromised cards among the top k (precision = that
 * count / k, even when fewer than k cards remain). Detected cards are removed from later days. The result is the
 * mean over days.
 */
public final class CardPrecision {
    private CardPrecision() {
    }

    /** @param days, customers, scores, labels one entry per payment (any order); days are whole-day indices */
    public static double meanTopK(long[] days, long[] customers, double[] scores, int[] labels, int k) {
        long[] distinct = Arrays.stream(days).distinct().sorted().toArray();
        Set<Long> detected = new HashSet<>();
        double sum = 0;
        for (long day : distinct) {
            Map<Long, double[]> cards = new HashMap<>(); // card → {max score, max label}
            for (int i = 0; i < days.length; i++) {
                if (days[i] != day || detected.contains(customers[i])) {
                    continue;
                }
                double[] c = cards.computeIfAbsent(customers[i], x -> new double[] {Double.NEGATIVE_INFINITY, 0});
                c[0] = Math.max(c[0], scores[i]);
                c[1] = Math.max(c[1], labels[i]);
            }
            // highest score first; ties by card id so the result does not depend on hash order
            Long[] ranked = cards.keySet().toArray(new Long[0]);
            Arrays.sort(ranked, (a, b) -> {
                int byScore = Double.compare(cards.get(b)[0], cards.get(a)[0]);
                return byScore != 0 ? byScore : Long.compare(a, b);
            });
            int hits = 0;
            for (int r = 0; r < Math.min(k, ranked.length); r++) {
                if (cards.get(ranked[r])[1] == 1) {
                    hits++;
                    detected.add(ranked[r]);
                }
            }
            sum += (double) hits / k;
        }
        return distinct.length == 0 ? Double.NaN : sum / distinct.length;
    }
}
