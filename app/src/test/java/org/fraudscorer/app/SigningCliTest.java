package org.fraudscorer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fraudscorer.common.model.ModelFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed models through the {@code fraud} command line, without Kafka: {@code keygen} → {@code train --signing-key}
 * → {@code inspect [--trusted-keys]}; {@code publish} and {@code scorer} refuse, before reaching a broker, what a
 * scorer with trusted keys would refuse. (Publishing to a broker and the live swap: {@link SignedModelPublishIT}.)
 */
class SigningCliTest {
    @TempDir
    static Path dir;
    static Path data;
    static Path keys;
    static Path model;
    static String keyId;

    @BeforeAll
    static void keygenThenTrainSigned() throws IOException {
        data = MadeUpTransactions.write(dir.resolve("made-up.csv"), 1_000, 0.05, 1);
        keys = dir.resolve("keys");
        CliRun keygen = CliRun.of("keygen", "--out", keys.toString(), "--name", "team");
        assertThat(keygen.exitCode()).as(keygen.err()).isZero();
        keyId = keyIdIn(keygen.out());
        model = dir.resolve("models/model.json");
        CliRun train = CliRun.of(train(model, "--signing-key", keys.resolve("team.key").toString()));
        assertThat(train.exitCode()).as(train.err()).isZero();
        assertThat(train.out()).contains("signed by key " + keyId);
    }

    @Test
    void keygenWritesAnOwnerOnlyPrivateKeyAndAPublicKeyAndRefusesToOverwrite() throws IOException {
        assertThat(Files.readString(keys.resolve("team.key"))).contains("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.readString(keys.resolve("team.pub"))).contains("-----BEGIN PUBLIC KEY-----")
                .doesNotContain("PRIVATE");
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.resolve("team.key"))))
                    .isEqualTo("rw-------");
        }
        CliRun again = CliRun.of("keygen", "--out", keys.toString(), "--name", "team");
        assertThat(again.exitCode()).isEqualTo(1);
        // said once, not wrapped in the generic "cannot create ...: a file of that name exists" (it read both)
        assertThat(again.errorLines()).isEqualTo("error: " + keys.resolve("team.key") + ": exists; refusing to "
                + "overwrite a key (choose another --name or --out)");
    }

    /**
     * keygen writes both files or neither: a public key name taken by a link to nowhere wrote the private key, then
     * failed, and the rerun was refused for the key that existed (found by a helper session). A directory where no
     * file can be made is a usage error (it was exit 1, "file not found").
     */
    @Test
    void keygenWritesBothFilesOrNeither() throws IOException {
        Path half = Files.createDirectories(dir.resolve("half"));
        Files.createSymbolicLink(half.resolve("model-signing.pub"), dir.resolve("nowhere/x"));
        CliRun r = CliRun.of("keygen", "--out", half.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errorLines()).isEqualTo("error: " + half.resolve("model-signing.pub") + ": exists; refusing to "
                + "overwrite a key (choose another --name or --out)");
        assertThat(half.resolve("model-signing.key")).doesNotExist();
        if (Files.isDirectory(Path.of("/proc/self"))) {
            CliRun proc = CliRun.of("keygen", "--out", "/proc/fraud-keys");
            assertThat(proc.exitCode()).as(proc.err()).isEqualTo(2);
            assertThat(proc.errorLines()).startsWith("error: --out /proc/fraud-keys cannot be");
        }
    }

    @Test
    void inspectShowsTheSignerAndWhetherItVerified() {
        CliRun plain = CliRun.of("inspect", "--model", model.toString());
        assertThat(plain.exitCode()).as(plain.err()).isZero();
        assertThat(plain.out()).contains("Signature      key " + keyId + " (Ed25519): not verified (no trusted keys given)");
        CliRun checked = CliRun.of("inspect", "--model", model.toString(), "--trusted-keys", keys.toString());
        assertThat(checked.exitCode()).as(checked.err()).isZero();
        assertThat(checked.out()).contains("Signature      key " + keyId + " (Ed25519): verified with trusted key "
                + keys.resolve("team.pub"));
    }

    /**
     * A key rotation: {@code sign} gives the team's model the new key's signature (to a new file, then in place), the
     * model and its checksum unchanged; the new key's scorers then take it, and the old key's no longer. A file that
     * fails its checksum is refused and nothing is written.
     */
    @Test
    void signGivesAModelTheNewKeysSignatureAndKeepsItsContent() throws IOException {
        Path rotated = dir.resolve("rotated");
        CliRun keygen = CliRun.of("keygen", "--out", rotated.toString(), "--name", "next");
        assertThat(keygen.exitCode()).as(keygen.err()).isZero();
        String nextId = keyIdIn(keygen.out());
        Path copy = dir.resolve("models/resigned.json");
        CliRun sign = CliRun.of("sign", "--model", model.toString(), "--signing-key",
                rotated.resolve("next.key").toString(), "--out", copy.toString());
        assertThat(sign.exitCode()).as(sign.err()).isZero();
        var before = ModelFile.read(model);
        var after = ModelFile.read(copy);
        assertThat(sign.out().strip()).isEqualTo("signed model " + before.modelVersion() + " (sha256 "
                + before.sha256() + ") with key " + nextId + ": " + copy);
        assertThat(after.sha256()).isEqualTo(before.sha256());
        assertThat(CliRun.of("inspect", "--model", copy.toString(), "--trusted-keys",
                rotated.resolve("next.pub").toString()).exitCode()).isZero();
        assertThat(CliRun.of("inspect", "--model", copy.toString(), "--trusted-keys",
                keys.resolve("team.pub").toString()).exitCode()).as("the old key's signature is replaced").isEqualTo(1);
        CliRun inPlace = CliRun.of("sign", "--model", copy.toString(), "--signing-key",
                keys.resolve("team.key").toString());
        assertThat(inPlace.exitCode()).as(inPlace.err()).isZero();
        assertThat(CliRun.of("inspect", "--model", copy.toString(), "--trusted-keys",
                keys.resolve("team.pub").toString()).exitCode()).isZero();
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) { // a key others may read: a warning
            Path open = Files.copy(keys.resolve("team.key"), dir.resolve("open.key"));
            Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
            CliRun warned = CliRun.of("sign", "--model", copy.toString(), "--signing-key", open.toString());
            assertThat(warned.exitCode()).as(warned.err()).isZero();
            assertThat(warned.errorLines()).startsWith("warning: signing key " + open + " is readable by");
        }
        Path tampered = dir.resolve("models/tampered.json");
        Files.writeString(tampered, Files.readString(model).replaceFirst("\"threshold\"\\s*:\\s*\\{",
                "\"threshold\":{\"x\":1,"));
        Path nowhere = dir.resolve("models/never.json");
        CliRun refused = CliRun.of("sign", "--model", tampered.toString(), "--signing-key",
                keys.resolve("team.key").toString(), "--out", nowhere.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.errorLines()).startsWith("error: ").doesNotContain("\n");
        assertThat(nowhere).doesNotExist();
        // --out naming the key: a usage error, the key kept (the signed model replaced the private key, exit 0)
        Path key = Files.copy(rotated.resolve("next.key"), dir.resolve("kept.key"));
        byte[] keyBytes = Files.readAllBytes(key);
        CliRun overKey = CliRun.of("sign", "--model", model.toString(), "--signing-key", key.toString(), "--out",
                key.toString());
        assertThat(overKey.exitCode()).isEqualTo(2);
        assertThat(overKey.errorLines()).isEqualTo("error: --out " + key + " is an input of this command (" + key
                + "): writing it would overwrite it; choose another file (see 'fraud sign --help')");
        assertThat(Files.readAllBytes(key)).isEqualTo(keyBytes);
    }

    @Test
    void inspectWithOtherTrustedKeysShowsTheModelThenFailsWithOneLine() {
        Path other = dir.resolve("other-keys");
        CliRun keygen = CliRun.of("keygen", "--out", other.toString());
        assertThat(keygen.exitCode()).isZero();
        CliRun r = CliRun.of("inspect", "--model", model.toString(), "--trusted-keys",
                other.resolve("model-signing.pub").toString());
        assertThat(r.exitCode()).isEqualTo(1);
        String otherId = keyIdIn(keygen.out());
        assertThat(r.out()).contains("Signature      key " + keyId + " (Ed25519): NOT verified, the key is not trusted "
                + "(trusted: " + otherId + ")", "Model version");
        assertThat(r.errorLines()).isEqualTo("error: model " + model + " signed by key " + keyId
                + ", which is not trusted (trusted: " + otherId + ")");
        assertThat(r.out()).as("no line says verified of a model refused").doesNotContain("(verified)")
                .contains("(content matches its sha256)");
    }

    @Test
    void publishRefusesAnUnsignedModelWithTrustedKeysBeforeReachingKafka() throws IOException {
        Path unsigned = Files.write(dir.resolve("unsigned.json"), ModelFile.toBytes(ModelFile.read(model)));
        CliRun r = CliRun.of("publish", "--bootstrap-servers", "127.0.0.1:1", "--model", unsigned.toString(),
                "--trusted-keys", keys.resolve("team.pub").toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errorLines()).isEqualTo("error: model " + unsigned + " is not signed; only models signed by a "
                + "trusted key are accepted (sign with --signing-key)");
    }

    @Test
    void scorerRefusesAnUnsignedStartUpModelWithOneLineAndExitCode1() throws IOException {
        Path unsigned = Files.write(dir.resolve("unsigned-start.json"), ModelFile.toBytes(ModelFile.read(model)));
        CliRun r = CliRun.of("scorer", "--model", unsigned.toString(), "--trusted-keys", keys.resolve("team.pub")
                .toString(), "--bootstrap-servers", "127.0.0.1:1", "--metrics-port", "-1");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errorLines()).isEqualTo("error: model " + unsigned + " is not signed; only models signed by a "
                + "trusted key are accepted (sign with --signing-key)");
        // keygen's whole directory, private key included, is not for a scorer host
        CliRun whole = CliRun.of("scorer", "--model", model.toString(), "--trusted-keys", keys.toString(),
                "--bootstrap-servers", "127.0.0.1:1", "--metrics-port", "-1");
        assertThat(whole.exitCode()).isEqualTo(1);
        assertThat(whole.errorLines()).isEqualTo("error: trusted keys directory " + keys + " holds a private key "
                + "(team.key): give the scorers the public keys (*.pub) only");
    }

    @Test
    void trainWithAMissingOrMalformedKeyFailsBeforeTrainingWithOneLine() {
        Path out = dir.resolve("never.json");
        CliRun missing = CliRun.of(train(out, "--signing-key", dir.resolve("nope.key").toString()));
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.errorLines()).isEqualTo("error: signing key " + dir.resolve("nope.key") + " does not exist");
        CliRun publicOnly = CliRun.of(train(out, "--signing-key", keys.resolve("team.pub").toString()));
        assertThat(publicOnly.exitCode()).isEqualTo(1);
        assertThat(publicOnly.errorLines()).startsWith("error: signing key " + keys.resolve("team.pub")
                + " holds no '-----BEGIN PRIVATE KEY-----' block").doesNotContain("\n");
        assertThat(publicOnly.out()).as("no training started").doesNotContain("Selection");
        assertThat(out).doesNotExist();
    }

    private static String[] train(Path out, String... more) {
        String[] base = {"train", "--data", data.toString(), "--out", out.toString(), "--epochs", "2", "--folds", "2",
                "--ensemble", "1", "--seed", "3"};
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    static String keyIdIn(String keygenOutput) {
        Matcher m = Pattern.compile("Key id\\s+([0-9a-f]{16})").matcher(keygenOutput);
        assertThat(m.find()).as(keygenOutput).isTrue();
        return m.group(1);
    }
}
