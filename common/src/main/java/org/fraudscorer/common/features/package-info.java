/**
 * Feature schemas (which input fields an event carries, which features the network sees) and the fitted
 * preprocessing that turns one into the other. Training and scoring both go through this package.
 */
package org.fraudscorer.common.features;
