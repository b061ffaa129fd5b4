/**
 * Broker administration with the public client API: {@link org.fraudscorer.scorer.broker.KafkaTopics} creates
 * topics and waits until they accept writes, against any broker (an external cluster, Testcontainers, or the
 * development broker of the {@code devkafka} module, which is not on the scorer's runtime classpath).
 */
package org.fraudscorer.scorer.broker;
