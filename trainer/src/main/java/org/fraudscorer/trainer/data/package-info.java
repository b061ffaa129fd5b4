/**
 * Reading and splitting the labelled card-transaction data the trainer learns from.
 *
 * <p>The input format is the ULB / Worldline {@code creditcard.csv} published on Kaggle: a header
 * {@code Time,V1,...,V28,Amount,Class} (quoted or not) and one transaction per line. {@code Time} is seconds
 * since the first transaction, {@code V1..V28} are PCA components, {@code Amount} is the payment amount and
 * {@code Class} (optional, for scoring unlabelled data) is 1 for fraud, 0 otherwise.
 *
 * <ul>
 *   <li>{@link org.fraudscorer.trainer.data.CreditCardCsv} streams such a file (plain or {@code .gz}) into a
 *       {@link org.fraudscorer.trainer.data.Dataset}, failing on the first bad line with a one-line
 *       {@link org.fraudscorer.trainer.data.DataFormatException} {@code <file>:<line>: <reason>}.</li>
 *   <li>{@link org.fraudscorer.trainer.data.Dataset} holds the rows as flat primitive arrays, inputs in the
 *       canonical order {@code Time, V1..V28, Amount} whatever the file's column order.</li>
 *   <li>{@link org.fraudscorer.trainer.data.Splitter} makes train / validation / test splits, time-ordered
 *       (the project's default: no training on the future) or stratified by class.</li>
 * </ul>
 */
package org.fraudscorer.trainer.data;
