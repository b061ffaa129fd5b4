/**
 * Raw payment events and the one feature engine used both offline (replaying a file) and online (the scorer):
 * the Fraud Detection Handbook's 15 features (Le Borgne et al., ULB / Worldline, 2022; {@code handbook-v1}) and
 * the 17 of {@code handbook-v2} (the same 15 and the card's amount profile), computed from per-customer and
 * per-terminal histories that can be stored as bytes in a key-value store.
 *
 * <p>A feature set is declared once, by {@link org.fraudscorer.common.features.events.HandbookFeatures.Version} (its
 * name, its features in order and their ranges, which card-stage parts it computes; the model schemas and the
 * raw-event family's list are derived from it), and computed once, by {@link
 * org.fraudscorer.common.features.events.FeatureEngine#customerStage} and {@code terminalStage} from {@link
 * org.fraudscorer.common.features.events.CustomerHistory} and {@link
 * org.fraudscorer.common.features.events.TerminalHistory}. Adding one: docs/raw-events.md, "Adding a raw-event
 * feature set".
 */
package org.fraudscorer.common.features.events;
