/**
 * A real Kafka broker without Docker, for development, tests, benchmarks and the demo — never for production.
 * {@link org.fraudscorer.devkafka.EmbeddedKafkaBroker} runs a single-node KRaft broker and controller in this JVM
 * (behind {@code ./fraud broker}, {@code ./fraud demo}, the real-broker tests and the end-to-end benchmark);
 * {@link org.fraudscorer.devkafka.TempDir} holds its log and Streams state and deletes them on close;
 * {@link org.fraudscorer.devkafka.BrokerCommand} is the {@code broker} command.
 *
 * <p><b>Why a module of its own.</b> The broker is Kafka's server (kafka_2.13, kafka-server, kafka-metadata,
 * kafka-raft, the coordinators, Scala, …): about 21 MB of the launcher jar, which a scorer connected to a real
 * cluster never loads. Here, the scorer module compiles and runs without them (it uses this module in test scope only), and the
 * lean production jar ({@code app-lean}, used by the Dockerfile) is the launcher with this module excluded. The
 * full {@code fraud.jar} that {@code ./fraud} runs keeps it, so the data-free demo still needs nothing but a JDK.
 *
 * <p>This module depends on Kafka only, not on the scorer, so that the scorer's tests can depend on it without a
 * cycle. Create topics with the scorer's {@code KafkaTopics}, which waits until they accept writes.
 *
 * <p>{@code EmbeddedKafkaBroker} is the only class in the project allowed to use Kafka's internal server classes
 * ({@code kafka.server.*}, {@code org.apache.kafka.metadata.storage.Formatter},
 * {@code org.apache.kafka.server.common.MetadataVersion}); they are not a public API, so a Kafka upgrade should
 * have to touch that one file only.
 */
package org.fraudscorer.devkafka;
