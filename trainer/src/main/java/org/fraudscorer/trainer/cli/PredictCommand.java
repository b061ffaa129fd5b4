package org.fraudscorer.trainer.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fraudscorer.common.features.FeatureSchema;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.common.model.ModelScorer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code ./fraud predict --model model.json --values 0,-1.36,...,149.62}: score one transaction and show how the
 * network saw it: inputs, hidden activations, probability bar, decision and top contributing features.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Score one transaction given on the command line and show the network's view of it.")
public final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Model file.")
    Path model;
    @Option(names = "--values", split = ",", description = "All input values in schema order (Time,V1..V28,Amount).")
    double[] values;
    @Option(names = "--set", description = "One field, NAME=VALUE (repeatable); overrides --values.")
    Map<String, Double> set;
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ModelBundle m = ModelFile.read(model);
        FeatureSchema schema = m.schema();
        double[] in = new double[schema.inputCount()];
        boolean[] given = new boolean[in.length];
        if (values != null) {
            if (values.length != in.length) {
                throw new ParameterException(spec.commandLine(), "--values needs " + in.length + " numbers ("
                        + String.join(",", schema.inputFields()) + "), got " + values.length);
            }
            System.arraycopy(values, 0, in, 0, in.length);
            Arrays.fill(given, true);
        }
        if (set != null) {
            // picocli keeps the last of a repeated NAME: two values for one field are a contradiction, said
            java.util.Set<String> named = new java.util.HashSet<>();
            for (String pair : spec.commandLine().getParseResult().matchedOption("--set").originalStringValues()) {
                String name = pair.substring(0, Math.max(pair.indexOf('='), 0));
                if (!named.add(name)) {
                    throw new ParameterException(spec.commandLine(), "--set " + name + " is given twice");
                }
            }
            for (Map.Entry<String, Double> e : set.entrySet()) {
                int i = schema.inputIndex(e.getKey());
                if (i < 0) {
                    throw new ParameterException(spec.commandLine(), "unknown field '" + e.getKey() + "' (fields: "
                            + String.join(",", schema.inputFields()) + ")");
                }
                in[i] = e.getValue();
                given[i] = true;
            }
        }
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < in.length; i++) {
            if (!given[i]) {
                missing.add(schema.inputFields().get(i));
            }
        }
        if (!missing.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "missing value for " + missing
                    + ": give --values or --set NAME=VALUE");
        }
        String invalid = schema.validate(in);
        if (invalid != null) {
            throw new ParameterException(spec.commandLine(), "invalid transaction: " + invalid);
        }
        ModelScorer scorer = m.newScorer();
        double p = scorer.probability(in);
        System.out.println("Model " + m.modelVersion() + "  " + TrainCommand.arch(m)
                + (m.members().size() == 1 ? "" : " x " + m.members().size() + " members (mean logit; the hidden layers "
                + "shown are member 1's)"));
        System.out.println();
        System.out.println("Inputs");
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < in.length; i++) {
            line.append(String.format(Locale.ROOT, "  %-7s %10.4f", schema.inputFields().get(i), in[i]));
            if (i % 5 == 4 || i == in.length - 1) {
                System.out.println(line);
                line.setLength(0);
            }
        }
        int layers = m.network().denseLayers().size();
        for (int l = 0; l + 1 < layers; l++) {
            double[] a = scorer.activations(l);
            int units = m.network().denseLayers().get(l).outputSize();
            double max = 1e-12;
            for (int u = 0; u < units; u++) {
                max = Math.max(max, Math.abs(a[u]));
            }
            StringBuilder bars = new StringBuilder();
            String levels = " ▁▂▃▄▅▆▇█";
            int active = 0;
            for (int u = 0; u < units; u++) {
                bars.append(levels.charAt((int) Math.round(Math.abs(a[u]) / max * 8)));
                active += a[u] > 0 ? 1 : 0;
            }
            System.out.printf(Locale.ROOT, "%nHidden layer %d (%d units, %d active, max %.3f)  [%s]%n", l + 1, units,
                    active, max, bars);
        }
        double t = scorer.threshold();
        int width = 40;
        int fill = (int) Math.round(p * width);
        int mark = (int) Math.round(t * width);
        StringBuilder bar = new StringBuilder();
        for (int i = 0; i < width; i++) {
            bar.append(i == mark ? '|' : i < fill ? '#' : '.');
        }
        System.out.printf(Locale.ROOT, "%nFraud probability  [%s] %.6f   (threshold %.6f at '|')%n", bar, p, t);
        double[] contrib = new double[schema.featureCount()];
        scorer.contributions(contrib);
        int[] idx = new int[5];
        int shown = ModelScorer.topK(contrib, contrib.length, idx.length, idx); // the scorer's ranking
        StringBuilder top = new StringBuilder();
        for (int k = 0; k < shown; k++) {
            top.append(String.format(Locale.ROOT, "  %s %+.3f", schema.featureNames().get(idx[k]), contrib[idx[k]]));
        }
        System.out.println("Pushing towards fraud (gradient × input):" + top);
        System.out.println();
        System.out.println(scorer.flagged(p) ? "Decision: BLOCK" : "Decision: ALLOW");
        return 0;
    }
}
