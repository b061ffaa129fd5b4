package org.fraudscorer.scorer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.common.model.ModelFixtures;
import org.fraudscorer.common.model.SigningKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A scorer started with {@code --trusted-keys} refuses a start-up model that is unsigned, signed by another key or
 * whose signature does not match, and a trusted-keys path that is missing or malformed: exit code 1 and one line on
 * standard error, before touching Kafka (the bootstrap address is a closed port).
 */
class ScorerCommandTrustedKeysTest {
    @TempDir
    static Path dir;
    static SigningKey team;
    static Path keys;

    @BeforeAll
    static void makeKeys() throws Exception {
        team = SigningKey.generate();
        keys = dir.resolve("trusted");
        team.writePair(keys, "team");
        Files.delete(keys.resolve("team.key")); // a scorer host holds public keys only
    }

    @Test
    void shouldRefuseAnUnsignedStartUpModel() throws Exception {
        Path m = Files.write(dir.resolve("unsigned.json"), ModelFile.toBytes(ModelFixtures.bundle(1)));
        assertOneLineError(execute(m, keys), "error: model " + m + " is not signed; only models signed by a trusted key "
                + "are accepted (sign with --signing-key)");
    }

    @Test
    void shouldRefuseAModelSignedByAnotherKey() throws Exception {
        SigningKey other = SigningKey.generate();
        Path m = Files.write(dir.resolve("other.json"), ModelFile.toBytes(ModelFixtures.bundle(2), other));
        assertOneLineError(execute(m, keys), "error: model " + m + " signed by key " + other.keyId()
                + ", which is not trusted (trusted: " + team.keyId() + ")");
    }

    @Test
    void shouldRefuseAModelWhoseSignatureDoesNotMatch() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(ModelFile.toBytes(ModelFixtures.bundle(3), team));
        byte[] sig = Base64.getDecoder().decode(root.at("/signature/value").asText());
        sig[0] ^= 0x40;
        ((ObjectNode) root.get("signature")).put("value", Base64.getEncoder().encodeToString(sig));
        Path m = Files.write(dir.resolve("tampered-signature.json"), json.writeValueAsBytes(root));
        assertOneLineError(execute(m, keys), "error: model " + m + " has a signature by key " + team.keyId()
                + " that does not match its content: modified after signing, or not signed by that key");
    }

    @Test
    void shouldRefuseAMissingOrMalformedTrustedKeysPath() throws Exception {
        Path m = Files.write(dir.resolve("signed.json"), ModelFile.toBytes(ModelFixtures.bundle(4), team));
        assertOneLineError(execute(m, dir.resolve("nope")), "error: trusted keys " + dir.resolve("nope")
                + " does not exist");
        Path garbage = Files.writeString(dir.resolve("garbage.pub"), "-----BEGIN PUBLIC KEY-----\nAAAA\n"
                + "-----END PUBLIC KEY-----\n");
        CliResult r = execute(m, garbage);
        assertOneLineError(r, "error: trusted key file " + garbage + " holds a public key that is not an Ed25519 key (X.509 SubjectPublicKeyInfo PEM)");
    }

    private record CliResult(int exitCode, String out, String err) {
    }

    private static void assertOneLineError(CliResult r, String expectedStart) {
        System.out.print("ScorerCommandTrustedKeysTest: " + r.err());
        assertThat(r.exitCode()).as("exit code; stderr: %s", r.err()).isEqualTo(1);
        assertThat(r.err().lines().toList()).as("stderr").hasSize(1);
        assertThat(r.err()).startsWith(expectedStart).doesNotContain("\tat ", "Exception");
        assertThat(r.out()).isEmpty();
    }

    private static CliResult execute(Path model, Path trustedKeys) {
        CommandLine cl = ScorerCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("--model", model.toString(), "--trusted-keys", trustedKeys.toString(),
                "--bootstrap-servers", "127.0.0.1:1", "--metrics-port", "-1");
        return new CliResult(code, out.toString(), err.toString());
    }
}
