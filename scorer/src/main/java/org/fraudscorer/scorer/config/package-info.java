/** The scorer's settings: topic names, processing guarantee and every plain Kafka / Streams property. */
package org.fraudscorer.scorer.config;
