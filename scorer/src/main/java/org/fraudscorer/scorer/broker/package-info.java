/**
 * A real Kafka broker without Docker: {@link org.fraudscorer.scorer.broker.EmbeddedKafkaBroker} runs a single-node
 * KRaft broker and controller in this JVM (used by {@code ./fraud broker}, {@code ./fraud demo} and the integration
 * tests), and {@link org.fraudscorer.scorer.broker.KafkaTopics} creates topics and waits until they accept writes,
 * against any broker.
 *
 * <p>{@code EmbeddedKafkaBroker} is the only class in the project allowed to use Kafka's internal server classes
 * ({@code kafka.server.*}, {@code org.apache.kafka.metadata.storage.Formatter},
 * {@code org.apache.kafka.server.common.MetadataVersion}); they are not a public API, so a Kafka upgrade should
 * have to touch that one file only.
 */
package org.fraudscorer.scorer.broker;
