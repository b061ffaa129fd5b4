package org.fraudscorer.common.model;

/** A model file that cannot be trusted: unreadable, truncated, tampered with, of an unknown version or inconsistent. */
public final class ModelFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
