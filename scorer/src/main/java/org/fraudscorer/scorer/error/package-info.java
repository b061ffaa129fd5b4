/**
 * Errors as data: a record that cannot be scored becomes a {@link org.fraudscorer.scorer.error.DeadLetter} with its
 * cause and origin, the one envelope of the dead-letter topic.
 */
package org.fraudscorer.scorer.error;
