/**
 * The {@code ./fraud} launcher ({@link org.fraudscorer.app.FraudCli}, every command of every module) and the
 * commands that need the trainer's data or models and Kafka together: {@code demo}, {@code produce}, {@code backfill},
 * {@code retrain}, {@code tail} and {@code console} (the analysts' page, package {@code console}); with them, the
 * launcher's own commands that need no Kafka: {@code simulate}, {@code keygen} and {@code sign}.
 *
 * <p>Where the two data families differ, a command asks its family ({@link org.fraudscorer.app.AppFamily}:
 * {@link org.fraudscorer.app.CreditCardApp}, {@link org.fraudscorer.app.RawEventApp}), told from the data file or the
 * model. {@link org.fraudscorer.app.TopicHistory} reads what the system saw (for {@code retrain} and
 * {@code backfill}; creditcard-format events through {@link org.fraudscorer.app.CreditCardTopicHistory}),
 * {@link org.fraudscorer.app.ModelTopic} publishes a retrained model, and every send of {@code produce} and
 * {@code backfill} is counted and checked through {@link org.fraudscorer.app.CheckedProducer}.
 */
package org.fraudscorer.app;
