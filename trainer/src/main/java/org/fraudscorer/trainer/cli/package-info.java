/**
 * The trainer's commands: {@code train}, {@code tune}, {@code evaluate}, {@code score}, {@code predict},
 * {@code inspect}, {@code handbook} and {@code xor}. Each command reads its options and hands the work to its data
 * family ({@link org.fraudscorer.trainer.cli.DataFamily}, told from the data file's header):
 * {@link org.fraudscorer.trainer.cli.CreditCardCommands} for creditcard-format rows,
 * {@link org.fraudscorer.trainer.cli.RawEventCommands} for raw payment events. Options shared by several commands
 * are {@link org.fraudscorer.trainer.cli.NetworkOptions} and {@link org.fraudscorer.trainer.cli.ProcedureOptions};
 * {@link org.fraudscorer.trainer.cli.Outputs} checks output paths before any work.
 */
package org.fraudscorer.trainer.cli;
