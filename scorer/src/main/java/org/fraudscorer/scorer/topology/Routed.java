package org.fraudscorer.scorer.topology;

/** A scored (or rejected) record on its way to exactly one of the three output topics. */
public record Routed(Route route, byte[] payload) {
    public enum Route { FLAGGED, CLEAN, DEAD_LETTER }
}
