package org.fraudscorer.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.fraudscorer.common.model.AtomicFiles;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.common.model.SigningKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./fraud sign --model m.json --signing-key keys/new.key [--out signed.json]}: signs an existing model file
 * (verified first), replacing any signature it had; its content and checksum are unchanged. What a key rotation needs:
 * scorers with {@code --trusted-keys} refuse a {@code --model} file signed by a key they no longer trust, and before
 * this command only a retrain gave a file signed by the new key.
 */
@Command(name = "sign", mixinStandardHelpOptions = true,
        description = "Sign a model file with a key (keygen's NAME.key), replacing any signature it had; the model and "
                + "its checksum are unchanged. Written in place unless --out.")
public final class SignCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "The model file (verified before it is signed).")
    Path model;
    @Option(names = "--signing-key", required = true, paramLabel = "KEY",
            description = "Private key (keygen's NAME.key).")
    Path signingKey;
    @Option(names = "--out", description = "Where to write the signed file. Defaults to --model itself (replaced "
            + "atomically).")
    Path out;
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path target = out != null ? out : model;
        // --out over the key would replace the private key with the signed model (--model itself is the default)
        org.fraudscorer.trainer.cli.Outputs.refuseOverwriting(spec, "--out", out, signingKey);
        org.fraudscorer.trainer.cli.Outputs.requireWritable(spec, out != null ? "--out" : "--model", target, false);
        SigningKey key = SigningKey.load(signingKey, spec.commandLine().getErr());
        byte[] signed = ModelFile.sign(ModelFile.readBounded(model), model.toString(), key);
        AtomicFiles.write(target, signed);
        ModelFile.Loaded back = ModelFile.load(signed, target.toString(), null);
        spec.commandLine().getOut().println("signed model " + back.bundle().modelVersion() + " (sha256 "
                + back.bundle().sha256() + ") with key " + key.keyId() + ": " + target);
        return 0;
    }
}
