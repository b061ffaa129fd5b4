package org.fraudscorer.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.fraudscorer.common.model.SigningKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./fraud keygen --out keys/ [--name NAME]}: a new Ed25519 key pair for signing model files, made with the
 * JDK's own provider. {@code NAME.key} (PKCS#8 PEM private key, then its public key; owner-only permissions) goes to
 * {@code train}/{@code publish --signing-key}; {@code NAME.pub} (X.509 PEM) to {@code scorer --trusted-keys}.
 */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = "Write an Ed25519 key pair for signing model files: NAME.key (private, owner-only) and NAME.pub.")
public final class KeygenCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for the key files (created if needed).")
    Path out;
    @Option(names = "--name", defaultValue = "model-signing", description = "File name of the pair, without extension. Defaults to ${DEFAULT-VALUE}.")
    String name;
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try {
            SigningKey.checkName(name);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--name: " + e.getMessage());
        }
        org.fraudscorer.trainer.cli.Outputs.requireWritable(spec, "--out", out, true);
        SigningKey key = SigningKey.generate();
        SigningKey.KeyFiles files = key.writePair(out, name);
        System.out.println("Key id       " + key.keyId() + " (Ed25519)");
        System.out.println("Private key  " + files.privateKey() + " (owner-only; keep it secret: sign with "
                + "--signing-key " + files.privateKey() + ")");
        System.out.println("Public key   " + files.publicKey() + " (for scorers: --trusted-keys " + files.publicKey()
                + ", or a directory of .pub files)");
        return 0;
    }
}
