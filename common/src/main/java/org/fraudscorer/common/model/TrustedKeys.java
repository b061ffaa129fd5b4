package org.fraudscorer.common.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The public keys whose signatures a scorer accepts, by key id. Read from a directory (every {@code *.pub} file in
 * it, as {@code ./fraud keygen} writes them) or from one file holding one or more {@code PUBLIC KEY} PEM blocks.
 * An empty set is refused when loading: trusting nobody would refuse every model, which is never what was meant.
 */
public final class TrustedKeys {
    private record Entry(PublicKey key, String source) {
    }

    private final Map<String, Entry> byId;

    private TrustedKeys(Map<String, Entry> byId) {
        this.byId = Collections.unmodifiableMap(byId);
    }

    /** Trusted keys given in code (tests, tools); the source names them in messages. */
    public static TrustedKeys of(Map<String, PublicKey> keysBySource) {
        Map<String, Entry> m = new LinkedHashMap<>();
        keysBySource.forEach((source, key) -> m.put(KeyPem.keyId(key), new Entry(key, source)));
        if (m.isEmpty()) {
            throw new IllegalArgumentException("no trusted keys given");
        }
        return new TrustedKeys(m);
    }

    /** Reads a directory of {@code *.pub} files or one file of PEM public keys; one-line errors name the file. */
    public static TrustedKeys load(Path dirOrFile) throws IOException {
        return load(dirOrFile, false);
    }

    /**
     * {@link #load(Path)} for a scorer host, which needs public keys only: a directory that also holds a private key
     * file ({@code *.key}, as {@code ./fraud keygen --out DIR} writes beside the {@code .pub}) is refused, as a key
     * leaked to every scorer host. (The publishing side, which has the private key anyway, may keep both together.)
     */
    public static TrustedKeys loadForScorer(Path dirOrFile) throws IOException {
        return load(dirOrFile, true);
    }

    private static TrustedKeys load(Path dirOrFile, boolean refusePrivateKeyFiles) throws IOException {
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(dirOrFile)) {
            List<Path> privateKeys = new ArrayList<>();
            try (Stream<Path> s = Files.list(dirOrFile)) {
                s.filter(p -> !Files.isDirectory(p)).sorted().forEach(p -> {
                    String name = p.getFileName().toString();
                    if (name.endsWith(".pub")) {
                        files.add(p);
                    } else if (name.endsWith(".key")) {
                        privateKeys.add(p);
                    }
                });
            }
            if (refusePrivateKeyFiles && !privateKeys.isEmpty()) {
                // what './fraud keygen --out DIR' writes beside the .pub: a directory copied whole to scorer hosts
                throw new IllegalArgumentException("trusted keys directory " + dirOrFile + " holds a private key ("
                        + privateKeys.get(0).getFileName() + "): give the scorers the public keys (*.pub) only");
            }
            if (files.isEmpty()) {
                throw new IllegalArgumentException("trusted keys directory " + dirOrFile + " holds no *.pub public key "
                        + "files");
            }
        } else if (!Files.exists(dirOrFile)) {
            throw new IllegalArgumentException("trusted keys " + dirOrFile + " does not exist");
        } else {
            files.add(dirOrFile);
        }
        Map<String, Entry> m = new LinkedHashMap<>();
        for (Path f : files) {
            String text = SigningKey.readKeyFile(f, "trusted key file");
            List<KeyPem.Block> blocks = KeyPem.decode(text, "trusted key file " + f);
            if (blocks.stream().anyMatch(b -> b.label().equals(KeyPem.PRIVATE))) {
                // A scorer needs public keys only; a private key here is a key leaked to every scorer host.
                // Said to every command that takes --trusted-keys (inspect, publish, retrain), not only the scorer.
                throw new IllegalArgumentException("trusted key file " + f + " holds a PRIVATE key: --trusted-keys "
                        + "takes public keys only (the .pub file of the pair); the private key stays with the signing "
                        + "job");
            }
            List<KeyPem.Block> pubs = blocks.stream().filter(b -> b.label().equals(KeyPem.PUBLIC)).toList();
            if (pubs.isEmpty()) {
                throw new IllegalArgumentException("trusted key file " + f + " holds no '-----BEGIN " + KeyPem.PUBLIC
                        + "-----' block (an X.509 PEM Ed25519 public key, as './fraud keygen' writes)");
            }
            for (KeyPem.Block b : pubs) {
                PublicKey key;
                try {
                    key = KeyFactory.getInstance(ModelSignature.ALGORITHM).generatePublic(new X509EncodedKeySpec(b.der()));
                } catch (GeneralSecurityException | RuntimeException e) {
                    // The JDK's text ("java.security.InvalidKeyException: invalid key format") adds nothing for a user.
                    throw new IllegalArgumentException("trusted key file " + f + " holds a public key that is not an "
                            + "Ed25519 key (X.509 SubjectPublicKeyInfo PEM)");
                }
                m.putIfAbsent(KeyPem.keyId(key), new Entry(key, f.toString()));
            }
        }
        return new TrustedKeys(m);
    }

    /** What checking a signature over {@code message} with these keys finds. */
    Authenticity check(ModelSignature signature, byte[] message) {
        if (signature == null) {
            return Authenticity.unsigned();
        }
        Entry e = byId.get(signature.keyId());
        if (e == null) {
            return new Authenticity(Authenticity.Status.UNKNOWN_KEY, signature.keyId(),
                    String.join(", ", byId.keySet()));
        }
        if (!verifies(e.key(), message, signature.value())) {
            return new Authenticity(Authenticity.Status.BAD_SIGNATURE, signature.keyId(), null);
        }
        return new Authenticity(Authenticity.Status.VERIFIED, signature.keyId(), "trusted key " + e.source());
    }

    static boolean verifies(PublicKey key, byte[] message, byte[] signature) {
        try {
            Signature s = Signature.getInstance(ModelSignature.ALGORITHM);
            s.initVerify(key);
            s.update(message);
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The trusted key ids, for logs. */
    public List<String> keyIds() {
        return List.copyOf(byId.keySet());
    }

    /** e.g. {@code 2 trusted keys: 3f9a… (keys/a.pub), 81c0… (keys/b.pub)} */
    public String describe() {
        StringBuilder s = new StringBuilder().append(byId.size()).append(byId.size() == 1 ? " trusted key: "
                : " trusted keys: ");
        String sep = "";
        for (Map.Entry<String, Entry> e : byId.entrySet()) {
            s.append(sep).append(e.getKey()).append(" (").append(e.getValue().source()).append(')');
            sep = ", ";
        }
        return s.toString();
    }
}
