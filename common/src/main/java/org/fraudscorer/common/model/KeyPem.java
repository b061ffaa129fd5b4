package org.fraudscorer.common.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM text (RFC 7468) of the signing keys, and the key id. Text outside the BEGIN/END lines is ignored, as the RFC
 * allows, so a key file may carry a comment.
 */
final class KeyPem {
    static final String PRIVATE = "PRIVATE KEY";
    static final String PUBLIC = "PUBLIC KEY";
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\R([A-Za-z0-9+/=\\s]*?)-----END \\1-----");

    /** One decoded block: its label (e.g. {@code PUBLIC KEY}) and DER bytes. */
    record Block(String label, byte[] der) {
    }

    private KeyPem() {
    }

    static String encode(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    /** Every PEM block of the text, in order; an empty list if there is none. */
    static List<Block> decode(String text, String origin) {
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            try {
                blocks.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(origin + ": the " + m.group(1) + " block is not valid base64");
            }
        }
        return blocks;
    }

    /**
     * The key id: the first 16 hex digits (64 bits) of the SHA-256 of the public key's X.509 encoding. It only names
     * the key to look up; a signature is always checked with the trusted public key itself, never with anything the
     * model file says, so a file claiming a trusted key's id gains nothing.
     */
    static String keyId(PublicKey key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
