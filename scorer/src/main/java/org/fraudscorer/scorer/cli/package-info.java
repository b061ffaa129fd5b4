/** The scorer's commands: {@code scorer}, {@code publish}, {@code broker}, and the Kafka options they share. */
package org.fraudscorer.scorer.cli;
