/**
 * The scorer module's commands, {@code scorer} ({@link org.fraudscorer.scorer.cli.ScorerCommand}) and {@code publish}
 * ({@link org.fraudscorer.scorer.cli.PublishCommand}), and what every command that talks to Kafka shares: the cluster
 * options ({@link org.fraudscorer.scorer.cli.KafkaOptions}, {@link org.fraudscorer.scorer.cli.TopicOptions}), the
 * one-line errors and exit codes ({@link org.fraudscorer.scorer.cli.CliErrors}) and the clean stop on SIGTERM
 * ({@link org.fraudscorer.scorer.cli.StopSignal}). The development broker's {@code broker} command lives in the
 * {@code devkafka} module; the launcher that gathers every command is the app module's {@code FraudCli}.
 */
package org.fraudscorer.scorer.cli;
