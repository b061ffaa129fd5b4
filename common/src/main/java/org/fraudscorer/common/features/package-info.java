/**
 * Feature schemas (which input fields an event carries, which features the network sees) and the fitted
 * preprocessing that turns one into the other. Training and scoring both go through this package.
 *
 * <p>{@link org.fraudscorer.common.features.EventFamily} tells the kinds of events apart and lists each one's
 * schemas. A raw-event schema ({@code handbook-v1}, {@code handbook-v2}) is built from its feature set
 * ({@code events.HandbookFeatures.Version}) by {@link org.fraudscorer.common.features.FeatureSchema#of}: its input
 * fields are the feature engine's outputs ({@code events.FeatureEngine}), each fed to the network untransformed.
 */
package org.fraudscorer.common.features;
