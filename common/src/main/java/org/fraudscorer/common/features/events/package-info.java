/**
 * Raw payment events and the one feature engine used both offline (replaying a file) and online (the scorer):
 * the Fraud Detection Handbook's 15 features (Le Borgne et al., ULB / Worldline, 2022; {@code handbook-v1}) and
 * the 17 of {@code handbook-v2} (the same 15 and the card's amount profile), computed from per-customer and
 * per-terminal histories that can be stored as bytes in a key-value store.
 */
package org.fraudscorer.common.features.events;
