/**
 * The model bundle (schema, preprocessing, network, threshold, provenance) and its one versioned,
 * checksummed JSON file: what the trainer writes and every scorer instance loads.
 */
package org.fraudscorer.common.model;
