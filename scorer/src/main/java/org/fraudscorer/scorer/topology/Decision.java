package org.fraudscorer.scorer.topology;

import org.fraudscorer.scorer.server.ScorerMetrics;

/**
 * A scored record's decision, and what follows from it: the record's {@code decision} field (the constant's name),
 * its route, its {@code fraud_events_total} outcome, and whether the record is an alert (explained by its top
 * features, and keeping the input event even with compact clean records). {@link RecordScoring} takes each of these
 * from the constant, so a decision added here is written, routed and counted without a branch of its own there
 * ({@code DecisionTest}).
 */
enum Decision {
    FLAGGED(Routed.Route.FLAGGED, ScorerMetrics.Outcome.FLAGGED, true),
    CLEAN(Routed.Route.CLEAN, ScorerMetrics.Outcome.CLEAN, false);

    final Routed.Route route;
    final ScorerMetrics.Outcome outcome;
    final boolean alert;

    Decision(Routed.Route route, ScorerMetrics.Outcome outcome, boolean alert) {
        this.route = route;
        this.outcome = outcome;
        this.alert = alert;
    }

    /** The decision of a model's threshold test ({@code ModelScorer.flagged}). */
    static Decision of(boolean flagged) {
        return flagged ? FLAGGED : CLEAN;
    }
}
