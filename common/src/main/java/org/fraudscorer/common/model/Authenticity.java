package org.fraudscorer.common.model;

/**
 * Who signed a model file and what checking the signature found. A model is {@link #trusted()} only when it is
 * signed and the signature verified with one of the trusted keys.
 *
 * @param keyId   the signer's key id as the file states it (null when unsigned)
 * @param detail  which trusted key verified it (VERIFIED), or the trusted key ids (UNKNOWN_KEY); else null
 */
public record Authenticity(Status status, String keyId, String detail) {
    public enum Status {
        /** The file has no signature. */
        UNSIGNED,
        /** Signed, but no trusted keys were given to check it with. */
        NOT_CHECKED,
        /** Signed, and the signature verified with a trusted key. */
        VERIFIED,
        /** Signed by a key that is not among the trusted keys. */
        UNKNOWN_KEY,
        /** The signature does not match the model's content under the trusted key with its id. */
        BAD_SIGNATURE
    }

    public boolean trusted() {
        return status == Status.VERIFIED;
    }

    /** One line for logs and {@code inspect}, e.g. {@code key 3f9a… (Ed25519): verified with trusted key keys/a.pub}. */
    public String describe() {
        return switch (status) {
            case UNSIGNED -> "none (the file is not signed)";
            case NOT_CHECKED -> "key " + keyId + " (" + ModelSignature.ALGORITHM + "): not verified (no trusted keys given)";
            case VERIFIED -> "key " + keyId + " (" + ModelSignature.ALGORITHM + "): verified with " + detail;
            case UNKNOWN_KEY -> "key " + keyId + " (" + ModelSignature.ALGORITHM + "): NOT verified, the key is not "
                    + "trusted (trusted: " + detail + ")";
            case BAD_SIGNATURE -> "key " + keyId + " (" + ModelSignature.ALGORITHM + "): NOT verified, the signature "
                    + "does not match the content";
        };
    }

    /** Why a scorer that trusts only signed models refuses this one (null when it is trusted). */
    public String refusal() {
        return switch (status) {
            case VERIFIED -> null;
            case UNSIGNED -> "is not signed; only models signed by a trusted key are accepted (sign with "
                    + "--signing-key)";
            case NOT_CHECKED -> "was not checked against any trusted key";
            case UNKNOWN_KEY -> "signed by key " + keyId + ", which is not trusted (trusted: " + detail + ")";
            case BAD_SIGNATURE -> "has a signature by key " + keyId + " that does not match its content: modified "
                    + "after signing, or not signed by that key";
        };
    }

    static Authenticity unsigned() {
        return new Authenticity(Status.UNSIGNED, null, null);
    }
}
