/**
 * Reading and splitting the data the trainer learns from, in its two formats.
 *
 * <p>The creditcard format is the ULB / Worldline {@code creditcard.csv} published on Kaggle: a header
 * {@code Time,V1,...,V28,Amount,Class} (quoted or not) and one transaction per line. {@code Time} is seconds
 * since the first transaction, {@code V1..V28} are PCA components, {@code Amount} is the payment amount and
 * {@code Class} (optional, for scoring unlabelled data) is 1 for fraud, 0 otherwise; an optional {@code id} column
 * carries the row's identifier.
 *
 * <p>Raw payment events are the Fraud Detection Handbook's format ({@code TRANSACTION_ID, TX_DATETIME, CUSTOMER_ID,
 * TERMINAL_ID, TX_AMOUNT}, optionally {@code TX_FRAUD}): {@link org.fraudscorer.trainer.data.RawEventCsv} reads
 * them into {@link org.fraudscorer.trainer.data.RawEvents}, from which the feature engine
 * ({@code org.fraudscorer.trainer.events.FeatureReplay}) computes the model's features.
 *
 * <ul>
 *   <li>{@link org.fraudscorer.trainer.data.CreditCardCsv} streams such a file (plain or {@code .gz}) into a
 *       {@link org.fraudscorer.trainer.data.Dataset}, failing on the first bad line with a one-line
 *       {@link org.fraudscorer.trainer.data.DataFormatException} {@code <file>:<line>: <reason>}.</li>
 *   <li>{@link org.fraudscorer.trainer.data.Dataset} holds the rows as flat primitive arrays, inputs in the
 *       canonical order {@code Time, V1..V28, Amount} whatever the file's column order.</li>
 *   <li>{@link org.fraudscorer.trainer.data.Splitter} makes train / validation / test splits: the latest rows as
 *       the test part (the project's default: no testing on the past) or stratified by class.</li>
 * </ul>
 */
package org.fraudscorer.trainer.data;
