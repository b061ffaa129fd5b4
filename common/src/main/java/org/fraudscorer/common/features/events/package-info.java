/**
 * Raw payment events and the one feature engine used both offline (replaying a file) and online (the scorer):
 * the Fraud Detection Handbook's 15 features (Le Borgne et al., ULB / Worldline, 2022; {@code handbook-v1}) and
 * the 17 of {@code handbook-v2} (the same 15 and the card's amount profile), computed from per-customer and
 * per-terminal histories that can be stored as bytes in a key-value store.
 *
 * <p>Where a feature set is defined: {@link org.fraudscorer.common.features.events.HandbookFeatures.Version} (its
 * name, its features in order, which card-stage parts it computes), {@link
 * org.fraudscorer.common.features.events.FeatureEngine#customerStage} and {@code terminalStage} (the computation,
 * from {@link org.fraudscorer.common.features.events.CustomerHistory} and {@link
 * org.fraudscorer.common.features.events.TerminalHistory}), {@code FeatureSchema.of} (its model schema and input
 * ranges) and {@code EventFamily.RAW_EVENTS} (which schemas a model may have). Adding one: docs/raw-events.md,
 * "Adding a raw-event feature set".
 */
package org.fraudscorer.common.features.events;
