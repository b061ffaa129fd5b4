/** A running scorer instance: topics, model watcher, Kafka Streams, health and metrics, wired together. */
package org.fraudscorer.scorer.app;
