/**
 * The scoring topology: one builder function used by the application, the TopologyTestDriver tests and the broker
 * tests ({@link org.fraudscorer.scorer.topology.FraudTopology#build}). Creditcard events are scored by one stateless
 * {@code ScoringProcessor}; raw payment events by {@code RawEventTopology}: {@code RawEventIntake} (parse) →
 * {@code CustomerStage} (card features, the {@code customer-histories} store) → {@code TerminalStage} (terminal
 * features and labels) → {@code RawScoringProcessor}, a payment travelling between them as a {@code Staged}. The
 * stages call the halves of common's {@code FeatureEngine.features}, so the features are the offline replay's
 * ({@code RawEventTopologyTest}).
 */
package org.fraudscorer.scorer.topology;
