/** Weighted binary-classification metrics and decision-threshold tuning over flat primitive arrays (weights: a row of weight w counts as w rows). */
package org.fraudscorer.common.metrics;
