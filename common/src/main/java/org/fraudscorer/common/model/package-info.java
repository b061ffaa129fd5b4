/**
 * The model bundle (schema, preprocessing, network, threshold, provenance) and its one versioned,
 * checksummed and optionally Ed25519-signed JSON file: what the trainer writes and every scorer instance loads.
 */
package org.fraudscorer.common.model;
