/** Errors as data: a record that cannot be scored becomes a dead-letter record with its cause and origin. */
package org.fraudscorer.scorer.error;
