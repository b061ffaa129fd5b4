/** Which model serves: the registry that swaps versions atomically, and the watcher of the compacted model topic. */
package org.fraudscorer.scorer.model;
