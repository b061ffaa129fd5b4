package org.fraudscorer.common.model;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The {@code "signature"} of a model file: who signed it ({@code keyId}, see {@link SigningKey#keyId()}), with which
 * algorithm (only {@value #ALGORITHM}), and the signature bytes ({@code value}, base64 in the file).
 *
 * <p>What is signed ({@link #message}): the line {@code fraud-scorer-model/v<formatVersion>} and a newline, then the
 * canonical form of the {@code model} body, the very bytes the {@code sha256} checksum is computed over. The checksum
 * and the golden files are unchanged by signing; binding the format version means a signed body cannot be presented
 * as another format version, whose reader would interpret it differently.
 */
public record ModelSignature(String keyId, String algorithm, byte[] value) {
    public static final String ALGORITHM = "Ed25519";
    /** Ed25519 signatures are 64 bytes (RFC 8032). */
    static final int LENGTH = 64;

    public ModelSignature {
        if (keyId == null || !keyId.matches("[0-9a-f]{16}")) {
            throw new ModelFormatException("signature keyId must be 16 lower-case hex digits, got " + keyId);
        }
        if (!ALGORITHM.equals(algorithm)) {
            throw new ModelFormatException("signature algorithm \"" + algorithm + "\" is not supported; this build "
                    + "verifies " + ALGORITHM);
        }
        if (value == null || value.length != LENGTH) {
            throw new ModelFormatException("signature value must be " + LENGTH + " bytes, got "
                    + (value == null ? 0 : value.length));
        }
        value = value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    /** The bytes signed for a model body of this format version (see the class comment). */
    static byte[] message(int formatVersion, byte[] canonicalBody) {
        byte[] head = (ModelFile.FORMAT + "/v" + formatVersion + "\n").getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream(head.length + canonicalBody.length);
        out.writeBytes(head);
        out.writeBytes(canonicalBody);
        return out.toByteArray();
    }
}
