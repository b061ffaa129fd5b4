package org.fraudscorer.common.features;

/** One network input: which event field it comes from and the fixed transform applied before standardising. */
public record FeatureSpec(String name, String source, Transform transform) {
    public FeatureSpec {
        if (name == null || name.isBlank() || source == null || source.isBlank() || transform == null) {
            throw new IllegalArgumentException("feature spec needs a name, a source field and a transform");
        }
    }
}
