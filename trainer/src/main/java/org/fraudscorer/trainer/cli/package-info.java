/** The trainer's commands ({@code train}, {@code evaluate}, {@code score}, {@code predict}, {@code inspect}, {@code xor}). */
package org.fraudscorer.trainer.cli;
