package org.fraudscorer.common.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.List;

/**
 * An Ed25519 private key that signs model files (with the JDK's own provider), and its public half, whose
 * fingerprint is the {@link #keyId()} written beside each signature.
 *
 * <p>Key files, as {@link #writePair} writes them and {@link #load} reads them:
 * <ul>
 *   <li>{@code NAME.key} — the private key as PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}), followed by the
 *       public key as X.509 SubjectPublicKeyInfo PEM ({@code -----BEGIN PUBLIC KEY-----}), so the signer knows its
 *       key id (the JDK cannot derive an Ed25519 public key from a private one). Created readable and writable by
 *       the owner only.</li>
 *   <li>{@code NAME.pub} — the public key alone (X.509 PEM), for the scorer's {@code --trusted-keys}.</li>
 * </ul>
 * A key made with OpenSSL works too: {@code openssl genpkey -algorithm ed25519 -out k.pem; openssl pkey -in k.pem
 * -pubout -out k.pub; cat k.pem k.pub > k.key}.
 */
public final class SigningKey {
    private static final byte[] PAIR_CHECK = "fraud-scorer key pair check".getBytes(StandardCharsets.US_ASCII);

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final String keyId;

    private SigningKey(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.keyId = KeyPem.keyId(publicKey);
    }

    /** A new random key pair. */
    public static SigningKey generate() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance(ModelSignature.ALGORITHM).generateKeyPair();
            return new SigningKey(pair.getPrivate(), pair.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is required by every Java 15+ platform", e);
        }
    }

    /** Reads a private key file (see the class comment); one-line errors name the file and what is wrong. */
    public static SigningKey load(Path file) throws IOException {
        return load(file, w -> { });
    }

    /**
     * As {@link #load(Path, java.util.function.Consumer)}, each warning written to {@code err} as a {@code warning: }
     * line: what every command that signs does with them.
     */
    public static SigningKey load(Path file, java.io.PrintWriter err) throws IOException {
        return load(file, w -> err.println("warning: " + w));
    }

    /**
     * As {@link #load(Path)}, telling {@code warnings} when the file may be read by other users than its owner (group
     * or other permission bits, where the file system has POSIX permissions): {@code keygen} writes it owner-only, and
     * a copy with a looser mode was used without a word (found by a hunt). Not refused, as ssh refuses such a key:
     * a mounted secret is often readable by its group.
     */
    public static SigningKey load(Path file, java.util.function.Consumer<String> warnings) throws IOException {
        String text = readKeyFile(file, "signing key");
        List<KeyPem.Block> blocks = KeyPem.decode(text, "signing key " + file);
        KeyPem.Block priv = blocks.stream().filter(b -> b.label().equals(KeyPem.PRIVATE)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("signing key " + file + " holds no '-----BEGIN "
                        + KeyPem.PRIVATE + "-----' block (a PKCS#8 PEM Ed25519 private key, as './fraud keygen' writes)"));
        KeyPem.Block pub = blocks.stream().filter(b -> b.label().equals(KeyPem.PUBLIC)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("signing key " + file + " holds no '-----BEGIN "
                        + KeyPem.PUBLIC + "-----' block after the private key (the key id is its fingerprint; "
                        + "append the public key, e.g. 'openssl pkey -in KEY -pubout >> KEY')"));
        PrivateKey privateKey;
        PublicKey publicKey;
        try {
            KeyFactory f = KeyFactory.getInstance(ModelSignature.ALGORITHM);
            privateKey = f.generatePrivate(new PKCS8EncodedKeySpec(priv.der()));
            publicKey = f.generatePublic(new X509EncodedKeySpec(pub.der()));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("signing key " + file + " is not an Ed25519 key pair (PKCS#8 private key "
                    + "and X.509 public key, in PEM)");
        }
        SigningKey key = new SigningKey(privateKey, publicKey);
        if (!TrustedKeys.verifies(publicKey, PAIR_CHECK, key.sign(PAIR_CHECK))) {
            throw new IllegalArgumentException("signing key " + file + ": its public key block does not belong to its "
                    + "private key");
        }
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            java.util.Set<java.nio.file.attribute.PosixFilePermission> open = java.util.EnumSet.copyOf(
                    Files.getPosixFilePermissions(file));
            open.retainAll(java.util.EnumSet.of(java.nio.file.attribute.PosixFilePermission.GROUP_READ,
                    java.nio.file.attribute.PosixFilePermission.OTHERS_READ));
            if (!open.isEmpty()) {
                warnings.accept("signing key " + file + " is readable by " + (open.contains(
                        java.nio.file.attribute.PosixFilePermission.OTHERS_READ) ? "every user" : "its group")
                        + " (mode " + PosixFilePermissions.toString(Files.getPosixFilePermissions(file)) + "): whoever "
                        + "reads it can sign models your scorers trust; 'chmod 600 " + file + "'");
            }
        }
        return key;
    }

    /** The key id: 16 hex digits of the SHA-256 of the public key's X.509 encoding. */
    public String keyId() {
        return keyId;
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    byte[] sign(byte[] message) {
        try {
            Signature s = Signature.getInstance(ModelSignature.ALGORITHM);
            s.initSign(privateKey);
            s.update(message);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with key " + keyId + ": " + e.getMessage(), e);
        }
    }

    /** The files {@link #writePair} wrote. */
    public record KeyFiles(Path privateKey, Path publicKey) {
    }

    /**
     * Refuses a key pair's name that is not a plain file name: letters, digits, '.', '_' or '-', not starting with '.'.
     *
     * @throws IllegalArgumentException naming the rule and the name
     */
    public static void checkName(String name) {
        if (name == null || !name.matches("[A-Za-z0-9._-]+") || name.startsWith(".")) {
            throw new IllegalArgumentException("key name must be letters, digits, '.', '_' or '-' (not starting with '.')"
                    + ", got '" + name + "'");
        }
    }

    /**
     * Writes {@code dir/NAME.key} (created with owner-only permissions where the file system has POSIX permissions)
     * and {@code dir/NAME.pub}. Refuses to overwrite either file: a lost private key cannot be recovered.
     */
    public KeyFiles writePair(Path dir, String name) throws IOException {
        checkName(name);
        Files.createDirectories(dir);
        Path priv = dir.resolve(name + ".key");
        Path pub = dir.resolve(name + ".pub");
        for (Path p : List.of(priv, pub)) {
            if (Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) { // a link too, even one to nothing
                throw new FileAlreadyExistsException(p.toString(), null, "exists; refusing to overwrite a key (choose "
                        + "another --name or --out)");
            }
        }
        String comment = "Ed25519 model signing key " + keyId + " (fraud-scorer). Keep this file secret.\n";
        byte[] privText = (comment + KeyPem.encode(KeyPem.PRIVATE, privateKey.getEncoded())
                + KeyPem.encode(KeyPem.PUBLIC, publicKey.getEncoded())).getBytes(StandardCharsets.US_ASCII);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            // Owner-only from the moment the file exists: no window in which the umask's permissions apply.
            Files.createFile(priv, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(priv);
            java.io.File f = priv.toFile();
            if (!(f.setReadable(false, false) && f.setReadable(true, true) && f.setWritable(false, false)
                    && f.setWritable(true, true))) {
                Files.delete(priv);
                throw new IOException("cannot restrict " + priv + " to its owner on this file system");
            }
        }
        try {
            Files.write(priv, privText, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            Files.writeString(pub, "Ed25519 model signing public key " + keyId + " (fraud-scorer)\n"
                    + KeyPem.encode(KeyPem.PUBLIC, publicKey.getEncoded()), StandardCharsets.US_ASCII,
                    StandardOpenOption.CREATE_NEW);
        } catch (IOException | RuntimeException e) { // both or neither: half a pair would block the next try
            Files.deleteIfExists(priv);
            throw e;
        }
        return new KeyFiles(priv, pub);
    }

    /** A key file's text, with one-line errors for a missing, unreadable or oversized file. */
    static String readKeyFile(Path file, String what) throws IOException {
        try {
            if (Files.isDirectory(file)) {
                throw new IllegalArgumentException(what + " " + file + " is a directory, not a key file");
            }
            if (Files.size(file) > 64 * 1024) {
                throw new IllegalArgumentException(what + " " + file + " is " + Files.size(file)
                        + " bytes: not a PEM key file");
            }
            return KeyPem.text(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(what + " " + file + " does not exist");
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException(what + " " + file + " is not readable (permission denied)");
        }
    }
}
