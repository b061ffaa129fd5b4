/**
 * Retraining from what the system saw: train a challenger with the trainer's procedure, measure it and the serving
 * champion on the same latest labelled window, and decide by a stated gate whether the challenger may be published.
 * {@code CreditCardRetraining} and {@code RawEventRetraining} give a {@code Challenge} (both models'
 * {@code WindowMetrics}); {@code ChallengerGate.judge} gives the {@code Verdict}; {@code RetrainDecision.decide}
 * publishes or not and writes the JSON report. The verdict reaches the operator through its {@code reason}: the
 * report's {@code reason} ({@code RetrainDecision}) and the app's console line ({@code RetrainCommand.summary}), and
 * through the report's {@code gate} ({@code Verdict.toMap}); every decision exits 0 (a refusal is a normal outcome).
 *
 * <p>Adding a gate criterion ({@code maxFlagRateChange}, the alert budget, was added this way and shows every
 * step). What it takes:
 * <ul>
 *   <li>in {@code ChallengerGate}: a component, its default in {@code defaults()} and a {@code with...} method (the
 *       tests build their gates from these), its range in the compact constructor (a usage error, exit 2, naming the
 *       option), its clause of the reason and its place in the verdict's {@code passed} in {@code judge};</li>
 *   <li>a {@code Verdict} field when it measures something: its "not compared" value in {@code Verdict.noChampion},
 *       its report field in {@code Verdict.toMap} beside the criterion's setting;</li>
 *   <li>a number {@code WindowMetrics} does not hold yet: a component, measured in {@code of}, in {@code toMap}, and
 *       its baseline in {@code RetrainDecisionTest.window} (the tests name only the numbers they are about; the app's
 *       {@code RetrainWindowLineTest} passes all of them, two calls);</li>
 *   <li>in the app's {@code RetrainCommand}: the option (its default the gate's) and {@code gate()}, the one call of
 *       the canonical constructor, which fails to compile until the option is given.</li>
 * </ul>
 * {@code RetrainDecisionTest} (a verdict without a champion reports no compared number) and {@code RetrainCommandTest}
 * (the options' defaults are the gate's) fail until these agree. Still by hand: docs/operations.md ("The gate", the
 * bad-option row of its outcomes table, the report's {@code gate} fields), docs/commands.md's retrain paragraph and
 * the README's line on retrain.
 */
package org.fraudscorer.trainer.retrain;
