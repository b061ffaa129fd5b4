/**
 * Raw payment events and the one feature engine used both offline (replaying a file) and online (the scorer):
 * the 15 features of the Fraud Detection Handbook (Le Borgne et al., ULB / Worldline, 2022), computed from
 * per-customer and per-terminal histories that can be stored as bytes in a key-value store.
 */
package org.fraudscorer.common.features.events;
