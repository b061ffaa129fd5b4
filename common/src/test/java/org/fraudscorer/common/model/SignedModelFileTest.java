package org.fraudscorer.common.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed model files: a file signed by a trusted key loads; a tampered body (even with a recomputed checksum), a
 * tampered signature, another key, a key id that lies, and an unsigned file are refused when trusted keys are given;
 * key files that are missing, unreadable or malformed give one-line errors.
 */
class SignedModelFileTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SigningKey KEY = SigningKey.generate();
    private static final SigningKey OTHER = SigningKey.generate();
    private static final TrustedKeys TRUSTED = TrustedKeys.of(Map.of("test.pub", KEY.publicKey()));

    @TempDir
    Path dir;

    @Test
    void shouldLoadAFileSignedByATrustedKeyWithTheSameChecksumAsUnsigned() {
        ModelBundle b = ModelFixtures.bundle(1);
        byte[] signed = ModelFile.toBytes(b, KEY);
        ModelFile.Loaded loaded = ModelFile.loadTrusted(signed, "signed.json", TRUSTED);
        assertThat(loaded.authenticity().status()).isEqualTo(Authenticity.Status.VERIFIED);
        assertThat(loaded.authenticity().keyId()).isEqualTo(KEY.keyId()).matches("[0-9a-f]{16}");
        assertThat(loaded.authenticity().describe()).contains(KEY.keyId(), "verified with trusted key test.pub");
        assertThat(loaded.bundle().sha256()).isEqualTo(ModelFile.fromBytes(ModelFile.toBytes(b), "unsigned").sha256());
        assertThat(new String(signed, StandardCharsets.UTF_8)).contains("\"signature\"", "\"algorithm\" : \"Ed25519\"");
        assertThat(ModelFile.load(signed, "signed.json", null).authenticity().status())
                .as("without trusted keys the signature is read, not checked")
                .isEqualTo(Authenticity.Status.NOT_CHECKED);
    }

    @Test
    void shouldRefuseATamperedBodyEvenWithARecomputedChecksum() throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(ModelFile.toBytes(ModelFixtures.bundle(2), KEY));
        ArrayNode row = (ArrayNode) root.at("/model/members/0/layers/0/weights/3");
        row.set(2, row.get(2).doubleValue() + 1e-9);
        root.put("sha256", ModelFile.sha256(root.get("model")));
        byte[] tampered = JSON.writeValueAsBytes(root);
        assertThat(ModelFile.fromBytes(tampered, "t.json").sha256()).as("the checksum alone proves nothing").isNotNull();
        assertThatThrownBy(() -> ModelFile.loadTrusted(tampered, "t.json", TRUSTED))
                .isInstanceOf(ModelFormatException.class)
                .hasMessage("model t.json has a signature by key " + KEY.keyId() + " that does not match its content: "
                        + "modified after signing, or not signed by that key");
        Authenticity found = ModelFile.load(tampered, "t.json", TRUSTED).authenticity();
        assertThat(found.status()).isEqualTo(Authenticity.Status.BAD_SIGNATURE);
        assertThat(found.describe()).isEqualTo("key " + KEY.keyId() + " (Ed25519): NOT verified, the signature does "
                + "not match the content");
    }

    @Test
    void shouldRefuseATamperedSignature() throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(ModelFile.toBytes(ModelFixtures.bundle(3), KEY));
        byte[] sig = Base64.getDecoder().decode(root.at("/signature/value").asText());
        sig[10] ^= 0x01;
        ((ObjectNode) root.get("signature")).put("value", Base64.getEncoder().encodeToString(sig));
        assertThatThrownBy(() -> ModelFile.loadTrusted(JSON.writeValueAsBytes(root), "s.json", TRUSTED))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("does not match its content");
    }

    @Test
    void shouldRefuseAModelSignedByAKeyThatIsNotTrusted() {
        byte[] signed = ModelFile.toBytes(ModelFixtures.bundle(4), OTHER);
        assertThatThrownBy(() -> ModelFile.loadTrusted(signed, "other.json", TRUSTED))
                .isInstanceOf(ModelFormatException.class)
                .hasMessage("model other.json signed by key " + OTHER.keyId() + ", which is not trusted (trusted: "
                        + KEY.keyId() + ")");
    }

    @Test
    void shouldRefuseAnotherKeysSignatureThatClaimsTheTrustedKeyId() throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(ModelFile.toBytes(ModelFixtures.bundle(4), OTHER));
        ((ObjectNode) root.get("signature")).put("keyId", KEY.keyId());
        assertThatThrownBy(() -> ModelFile.loadTrusted(JSON.writeValueAsBytes(root), "liar.json", TRUSTED))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("does not match its content");
    }

    @Test
    void shouldRefuseAnUnsignedModel() {
        assertThatThrownBy(() -> ModelFile.loadTrusted(ModelFile.toBytes(ModelFixtures.bundle(5)), "u.json", TRUSTED))
                .isInstanceOf(ModelFormatException.class)
                .hasMessage("model u.json is not signed; only models signed by a trusted key are accepted (sign with "
                        + "--signing-key)");
    }

    @Test
    void shouldRefuseAMalformedSignatureEvenWithoutTrustedKeys() throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(ModelFile.toBytes(ModelFixtures.bundle(6), KEY));
        ((ObjectNode) root.get("signature")).put("algorithm", "RSA");
        assertThatThrownBy(() -> ModelFile.fromBytes(JSON.writeValueAsBytes(root), "rsa.json"))
                .isInstanceOf(ModelFormatException.class)
                .hasMessage("model rsa.json: signature algorithm \"RSA\" is not supported; this build verifies Ed25519");
        ((ObjectNode) root.get("signature")).put("algorithm", "Ed25519").put("value", "not base64!");
        assertThatThrownBy(() -> ModelFile.fromBytes(JSON.writeValueAsBytes(root), "b64.json"))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("signature value is not base64");
    }

    @Test
    void shouldSignAVersion1FileKeepingItsVersionAndChecksumAndBindTheVersion() throws IOException {
        byte[] golden;
        try (InputStream in = getClass().getResourceAsStream("/golden/model-format-v1.json")) {
            golden = in.readAllBytes();
        }
        byte[] signed = ModelFile.sign(golden, "golden v1", KEY);
        ModelFile.Loaded loaded = ModelFile.loadTrusted(signed, "signed v1", TRUSTED);
        assertThat(loaded.formatVersion()).isEqualTo(1);
        assertThat(loaded.bundle().sha256()).isEqualTo(ModelFile.fromBytes(golden, "golden").sha256());
        assertThat(loaded.authenticity().trusted()).isTrue();
        // The same body and signature presented as version 2: the signature binds the version, so it is refused
        // before the body is read with the other version's rules.
        ObjectNode root = (ObjectNode) JSON.readTree(signed);
        root.put("formatVersion", 2);
        assertThatThrownBy(() -> ModelFile.loadTrusted(JSON.writeValueAsBytes(root), "relabelled", TRUSTED))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("does not match its content");
    }

    @Test
    void shouldReplaceTheSignatureWhenSigningASignedFile() {
        byte[] resigned = ModelFile.sign(ModelFile.toBytes(ModelFixtures.bundle(7), OTHER), "m", KEY);
        assertThat(ModelFile.loadTrusted(resigned, "m", TRUSTED).authenticity().keyId()).isEqualTo(KEY.keyId());
    }

    @Test
    void aPrivateKeyOthersMayReadIsUsedWithAWarning() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews()
                .contains("posix"), "POSIX permissions");
        Path key = SigningKey.generate().writePair(dir, "k").privateKey();
        java.util.List<String> warnings = new java.util.ArrayList<>();
        SigningKey.load(key, warnings::add);
        assertThat(warnings).as("keygen's owner-only file").isEmpty();
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(SigningKey.load(key, warnings::add).keyId()).isEqualTo(SigningKey.load(key).keyId());
        assertThat(warnings).containsExactly("signing key " + key + " is readable by every user (mode rw-r--r--): "
                + "whoever reads it can sign models your scorers trust; 'chmod 600 " + key + "'");
        warnings.clear();
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));
        SigningKey.load(key, warnings::add);
        assertThat(warnings).singleElement().asString().contains("is readable by its group (mode rw-r-----)");
    }

    @Test
    void shouldWriteAKeyPairThatLoadsBackWithAnOwnerOnlyPrivateKey() throws IOException {
        SigningKey key = SigningKey.generate();
        SigningKey.KeyFiles files = key.writePair(dir, "team");
        assertThat(files.privateKey()).hasFileName("team.key");
        assertThat(files.publicKey()).hasFileName("team.pub");
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.privateKey())))
                    .isEqualTo("rw-------");
        }
        assertThat(Files.readString(files.privateKey())).contains("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.readString(files.publicKey())).contains("-----BEGIN PUBLIC KEY-----")
                .doesNotContain("PRIVATE");
        SigningKey back = SigningKey.load(files.privateKey());
        assertThat(back.keyId()).isEqualTo(key.keyId());
        TrustedKeys fromDir = TrustedKeys.load(dir);
        assertThat(fromDir.keyIds()).containsExactly(key.keyId());
        assertThat(ModelFile.loadTrusted(ModelFile.toBytes(ModelFixtures.bundle(8), back), "m", fromDir)
                .authenticity().trusted()).isTrue();
        assertThatThrownBy(() -> key.writePair(dir, "team")).hasMessageContaining("refusing to overwrite a key");
        // a scorer host refuses the directory keygen wrote, private key and all; its public key alone is accepted
        assertThatThrownBy(() -> TrustedKeys.loadForScorer(dir)).hasMessage("trusted keys directory " + dir
                + " holds a private key (team.key): give the scorers the public keys (*.pub) only");
        Path pubOnly = Files.createDirectory(dir.resolve("scorer-keys"));
        Files.copy(files.publicKey(), pubOnly.resolve("team.pub"));
        assertThat(TrustedKeys.loadForScorer(pubOnly).keyIds()).containsExactly(key.keyId());
    }

    @Test
    void shouldGiveOneLineErrorsForMissingUnreadableOrMalformedKeyFiles() throws IOException {
        SigningKey.KeyFiles files = KEY.writePair(dir, "k");
        String privateBlock = Files.readString(files.privateKey()).replaceAll("(?s)-----BEGIN PUBLIC KEY.*", "");
        assertThatThrownBy(() -> SigningKey.load(dir.resolve("nope.key")))
                .hasMessage("signing key " + dir.resolve("nope.key") + " does not exist");
        assertThatThrownBy(() -> SigningKey.load(dir)).hasMessageContaining("is a directory, not a key file");
        assertThatThrownBy(() -> SigningKey.load(write("garbage.key", "hello")))
                .hasMessageContaining("holds no '-----BEGIN PRIVATE KEY-----' block");
        assertThatThrownBy(() -> SigningKey.load(write("only-private.key", privateBlock)))
                .hasMessageContaining("holds no '-----BEGIN PUBLIC KEY-----' block");
        assertThatThrownBy(() -> SigningKey.load(write("mismatch.key", privateBlock
                + Files.readString(OTHER.writePair(dir, "o").publicKey()))))
                .hasMessageContaining("its public key block does not belong to its private key");
        assertThatThrownBy(() -> SigningKey.load(write("bad-der.key",
                "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"
                        + "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")))
                .hasMessageContaining("is not an Ed25519 key pair (PKCS#8 private key");
        assertThatThrownBy(() -> TrustedKeys.load(files.privateKey())).hasMessageContaining("holds a PRIVATE key: "
                + "--trusted-keys takes public keys only (the .pub file of the pair)");
        assertThatThrownBy(() -> TrustedKeys.load(write("garbage.pub", "nothing"))).hasMessageContaining(
                "holds no '-----BEGIN PUBLIC KEY-----' block");
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertThatThrownBy(() -> TrustedKeys.load(empty)).hasMessageContaining("holds no *.pub public key files");
        assertThatThrownBy(() -> TrustedKeys.load(dir.resolve("missing"))).hasMessageContaining("does not exist");
    }

    @Test
    void shouldSayAKeyFileIsNotReadable() throws IOException {
        SigningKey.KeyFiles files = KEY.writePair(dir, "k");
        Path locked = write("locked.key", Files.readString(files.privateKey()));
        locked.toFile().setReadable(false, false);
        Assumptions.assumeFalse(Files.isReadable(locked), "running as root: every file is readable");
        assertThatThrownBy(() -> SigningKey.load(locked)).hasMessageContaining("is not readable (permission denied)");
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}
