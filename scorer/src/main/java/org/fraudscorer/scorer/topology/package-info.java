/** The scoring topology: one builder function used by the application, the TopologyTestDriver tests and the broker tests. */
package org.fraudscorer.scorer.topology;
