/**
 * The scoring topology: one builder function used by the application, the TopologyTestDriver tests and the broker
 * tests ({@link org.fraudscorer.scorer.topology.FraudTopology#build}). Creditcard events are scored by one stateless
 * {@code ScoringProcessor}; raw payment events by {@code RawEventTopology}: {@code RawEventIntake} (parse) →
 * {@code CustomerStage} (card features, the {@code customer-histories} store) → {@code TerminalStage} (terminal
 * features and labels) → {@code RawScoringProcessor}, a payment travelling between them as a {@code Staged}. The
 * stages call the halves of common's {@code FeatureEngine.features}, so the features are the offline replay's
 * ({@code RawEventTopologyTest}).
 *
 * <p>Adding a decision or an output topic. Both families score in {@code RecordScoring.score} and leave by
 * {@code FraudTopology.route}, so a new decision (a review band between two thresholds, say) is written once for
 * both. What it takes:
 * <ul>
 *   <li>a {@code Decision} constant: its route, its outcome and whether its record is an alert (explained, kept
 *       whole with compact clean records), and the choice of it in {@code RecordScoring.score};</li>
 *   <li>a {@code Routed.Route} of the same name and its topic in {@code FraudTopology.topic};</li>
 *   <li>the topic in {@link org.fraudscorer.scorer.config.Topics}: a component, in {@code all()} and
 *       {@code outputs()}, a default, and an option in {@code TopicOptions}. Topic setup creates every topic of
 *       {@code all()}, the access check asks WRITE on every output, and the real-broker tests drain every output:
 *       a topic that exists only under an option needs the configuration in {@code TopicSetup.ensure} and
 *       {@code AccessCheck.forScorer};</li>
 *   <li>a scored {@code ScorerMetrics.Outcome} of the same name: counted, in the flag rate's denominator and the
 *       console's events per second; {@code monitoring/alerts.yml}'s {@code FraudNoEventsScored} must match it.</li>
 * </ul>
 * {@code DecisionTest}, {@code FraudTopologyTest}, {@code ScorerConfigTest} and {@code MonitoringFilesTest} fail
 * until these agree. Still by hand: model monitoring and shadow scoring see a decision as flagged or not
 * ({@code ModelMonitoring.scored}, {@code ShadowRecordWriter}); the demo's view and summary, the console and
 * {@code tail} in the app module; and the docs that list the outputs (README, commands.md's topic options and record
 * formats, operations.md's outcomes, secured-cluster.md's grants, raw-events.md, reliability.md).
 */
package org.fraudscorer.scorer.topology;
