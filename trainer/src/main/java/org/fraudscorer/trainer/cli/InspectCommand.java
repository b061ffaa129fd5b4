package org.fraudscorer.trainer.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.common.model.ModelFormatException;
import org.fraudscorer.common.model.TrustedKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./fraud inspect --model model.json [--trusted-keys keys/]}: verify a model file and print its metadata,
 * with the signer's key id and, given trusted keys, whether the signature verified. With trusted keys, a model that
 * a scorer with the same keys would refuse is still shown, then reported as an error (exit 1).
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Verify a model file (checksum, format version, shapes, and its signature with --trusted-keys) "
                + "and print its metadata.")
public final class InspectCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Model file.")
    Path model;
    @Option(names = "--trusted-keys", paramLabel = "DIR|FILE", description = "Check the signature with these Ed25519 "
            + "public keys (a directory of *.pub files or one PEM file), as a scorer with --trusted-keys does; exit 1 "
            + "if a scorer would refuse the model.")
    Path trustedKeys;

    @Override
    public Integer call() throws Exception {
        TrustedKeys trusted = trustedKeys == null ? null : TrustedKeys.load(trustedKeys);
        ModelFile.Loaded loaded = ModelFile.load(model, trusted);
        ModelBundle m = loaded.bundle();
        // the checksum is what load verified; the signature has a line of its own (and may refuse the file below)
        System.out.println("Model file     " + model + " (content matches its sha256)");
        System.out.println("Format         " + ModelFile.FORMAT + " v" + loaded.formatVersion());
        System.out.println("Signature      " + loaded.authenticity().describe());
        System.out.println("Model version  " + m.modelVersion());
        System.out.println("Created        " + m.createdAt());
        System.out.println("SHA-256        " + m.sha256());
        System.out.println("Schema         " + m.schema().name() + ": inputs " + m.schema().inputFields());
        System.out.println("Features       " + m.schema().featureNames());
        System.out.println("Network        " + TrainCommand.arch(m) + " x " + m.members().size() + " member"
                + (m.members().size() == 1 ? "" : "s") + " (" + ModelBundle.COMBINATION + "), " + m.parameterCount()
                + " parameters, dropout " + m.network().dropout() + ", input clip " + m.preprocessing().clip());
        System.out.println("Inputs         " + (m.preprocessing().quantiles() == null ? "standardised"
                : "quantile-mapped onto the normal scale (" + m.preprocessing().quantiles().stream()
                        .mapToInt(q -> q.x().length).max().orElse(0) + " knots at most), then standardised"));
        System.out.printf(Locale.ROOT, "Threshold      %.6f (%s)%n", m.threshold().value(), m.threshold().method());
        System.out.println("Seed           " + m.seed());
        m.metrics().forEach((k, v) -> System.out.println("Metrics        " + k + ": " + v));
        System.out.println("Hyperparams    " + m.hyperparameters());
        System.out.println("Provenance     " + m.provenance());
        System.out.println("Monitoring     " + (m.monitoring() == null
                ? "none (a file from before the monitoring reference: the scorer exports no drift gauges for it)"
                : m.monitoring().describe()));
        if (trusted != null && !loaded.authenticity().trusted()) {
            throw new ModelFormatException("model " + model + " " + loaded.authenticity().refusal());
        }
        return 0;
    }
}
