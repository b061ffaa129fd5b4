/** Health and Prometheus metrics over HTTP, and the meters the topology updates. */
package org.fraudscorer.scorer.server;
