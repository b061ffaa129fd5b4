package org.fraudscorer.trainer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fraudscorer.common.metrics.BinaryReport;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.trainer.data.CreditCardCsv;
import org.fraudscorer.trainer.data.Dataset;
import org.fraudscorer.trainer.data.RawEventCsv;
import org.fraudscorer.trainer.events.EventPeriod;
import org.fraudscorer.trainer.report.ConsoleReport;
import org.fraudscorer.trainer.train.FraudModelTrainer.BusinessImpact;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./fraud evaluate --model model.json --data labelled.csv [--json]}: metrics of a model on labelled rows. On
 * raw payment events: AUC ROC, average precision, card precision@100 and the confusion at the threshold, for the
 * events of {@code --score-from..--score-to}.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Measure a model on labelled transactions: confusion matrix, precision, recall, F1, ROC-AUC, PR-AUC.")
public final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Model file.")
    Path model;
    @Option(names = "--data", required = true, description = "Labelled transactions (creditcard.csv format).")
    Path data;
    @Option(names = "--threshold", description = "Decision threshold to use instead of the model's.")
    Double threshold;
    @Option(names = "--negative-weight", defaultValue = "1", description = "Real negatives each negative row stands for. Defaults to ${DEFAULT-VALUE}.")
    double negativeWeight;
    @Option(names = "--false-alarm-cost", defaultValue = "5", description = "Cost of one false alarm. Defaults to ${DEFAULT-VALUE}.")
    double falseAlarmCost;
    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;
    @Option(names = "--score-from", description = "Raw events only: first day to evaluate, YYYY-MM-DD (inclusive; earlier events are history). Default: the first day.")
    String scoreFrom;
    @Option(names = "--score-to", description = "Raw events only: last day to evaluate, YYYY-MM-DD (inclusive). Default: the last day.")
    String scoreTo;

    @Override
    public Integer call() throws Exception {
        if (RawEventCsv.isRawEventFile(data)) {
            return RawEventCommands.evaluate(model, data, EventPeriod.parse("score", scoreFrom, scoreTo), threshold,
                    json);
        }
        TrainCommand.refusePeriod("score", scoreFrom, scoreTo);
        ModelBundle m = ModelFile.read(model);
        Dataset d = CreditCardCsv.read(data);
        if (!d.hasLabels()) {
            throw new IllegalArgumentException(data + " has no Class column: evaluation needs labels");
        }
        if (!(negativeWeight > 0)) {
            throw new IllegalArgumentException("--negative-weight must be > 0, got " + negativeWeight);
        }
        double t = threshold != null ? threshold : m.threshold().value();
        if (!(t >= 0 && t <= 1)) {
            throw new IllegalArgumentException("--threshold must be in [0, 1], got " + t);
        }
        double[] p = BatchScoring.probabilities(m, d);
        double[] w = null;
        if (negativeWeight != 1) {
            w = new double[d.rows()];
            for (int i = 0; i < w.length; i++) {
                w[i] = d.labels()[i] == 1 ? 1 : negativeWeight;
            }
        }
        BinaryReport r = BinaryReport.of(p, d.labels(), w, t);
        BusinessImpact impact = BusinessImpact.of(p, d.labels(), d.amounts(), w, t);
        if (json) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("model", m.modelVersion());
            j.put("data", d.source());
            j.put("rows", d.rows());
            j.put("frauds", d.positives());
            j.put("threshold", t);
            j.put("precision", r.precision());
            j.put("recall", r.recall());
            j.put("f1", r.f1());
            j.put("accuracy", r.accuracy());
            j.put("roc_auc", r.rocAuc());
            j.put("pr_auc", r.prAuc());
            j.put("confusion", Map.of("tp", r.matrix().tp(), "fp", r.matrix().fp(), "tn", r.matrix().tn(),
                    "fn", r.matrix().fn()));
            j.put("businessImpact", impact);
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(j));
        } else {
            ConsoleReport c = new ConsoleReport(System.out, false);
            c.line("Model " + m.modelVersion() + " on " + d.source());
            c.data("rows", d);
            c.metrics("Metrics:", r);
            c.impact(impact, falseAlarmCost);
        }
        return 0;
    }
}
