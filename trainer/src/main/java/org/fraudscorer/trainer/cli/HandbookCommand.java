package org.fraudscorer.trainer.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fraudscorer.common.features.events.HandbookFeatures;
import org.fraudscorer.trainer.data.RawEventCsv;
import org.fraudscorer.trainer.data.RawEvents;
import org.fraudscorer.trainer.events.FeatureReplay;
import org.fraudscorer.trainer.events.HandbookProtocol;
import org.fraudscorer.trainer.train.TrainerConfig;
import org.fraudscorer.trainer.train.TrainingListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code handbook --data handbook-transactions.csv.gz}: replays the raw events into the handbook's 15 features and
 * runs its protocol (single split and 4 prequential weeks), printing our MLP beside the published baselines.
 */
@Command(name = "handbook", mixinStandardHelpOptions = true,
        description = "Run the Fraud Detection Handbook's evaluation protocol on raw payment events and compare with its published baselines.")
public final class HandbookCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, description = "Raw events in the handbook's CSV format (.gz allowed), labelled.")
    Path data;
    @Option(names = "--delay-days", defaultValue = "" + HandbookFeatures.DEFAULT_DELAY_DAYS,
            description = "Label delay. Defaults to ${DEFAULT-VALUE}.")
    int delayDays;
    /** The network options of {@code train}, with the raw-event defaults ({@link TrainerConfig#rawEventDefaults()}). */
    @picocli.CommandLine.Mixin
    NetworkOptions network;
    @Option(names = "--features", paramLabel = "SET", completionCandidates = RawEventCommands.FeatureSets.class,
            description = "Feature set, one of ${COMPLETION-CANDIDATES} (newest first; default the newest; their "
                    + "features: docs/raw-events.md).")
    String featureSet;
    @Option(names = "--single-only", description = "Only the single split.")
    boolean singleOnly;
    @Option(names = "--ensemble", defaultValue = "5", description = "Member networks per model (seeds); with --folds 0 "
            + "their probabilities are averaged, else their logits (as a model file combines them). Defaults to ${DEFAULT-VALUE}.")
    int ensemble;
    @Option(names = "--folds", defaultValue = "3", description = "Validation folds that choose the epoch count, as the handbook's validation protocol: fold i trains on the week that ends the delay before the i-th week counted back from the training week's end, and validates on that week (the train command's procedure; members then combine by mean logit); 0 = a stratified 20%% of the training week. Defaults to ${DEFAULT-VALUE}.")
    int cvFolds;
    @Option(names = "--log-amounts", description = "Experiment: log1p of TX_AMOUNT and the card mean-amount features "
            + "before scaling.")
    boolean logAmounts;
    @Option(names = "--export", paramLabel = "DIR", description = "Also write each fold's training and test rows "
            + "(the raw features, TX_FRAUD, CUSTOMER_ID, TX_DAY, MLP_VALIDATION) as DIR/<fold>-train.csv and "
            + "DIR/<fold>-test.csv, which scripts/handbook_peers.py reads.")
    Path export;
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;
    @Option(names = "--export-only", description = "With --export: write the files and skip training.")
    boolean exportOnly;
    @Option(names = "--selection-only", description = "Only the selection signal: the validation folds of each "
            + "prequential training week, their mean validation AP per week and over the weeks. No member is trained "
            + "and no test day is read: what feature sets and settings are compared on.")
    boolean selectionOnly;

    @Override
    public Integer call() throws IOException {
        String bad = null;
        if (ensemble < 1 || ensemble > org.fraudscorer.common.model.ModelBundle.MAX_MEMBERS) {
            bad = "--ensemble must be 1 to " + org.fraudscorer.common.model.ModelBundle.MAX_MEMBERS + ", got " + ensemble;
        } else if (cvFolds != 0 && cvFolds < 2) {
            bad = "--folds must be 0 (a stratified 20% of the week) or at least 2, got " + cvFolds;
        } else if (delayDays < 0) {
            bad = "--delay-days must be ≥ 0, got " + delayDays;
        } else if (cvFolds == 0 && spec.commandLine().getParseResult().hasMatchedOption("--input-clip")) {
            bad = "--input-clip applies to the procedure (--folds 2 or more); --folds 0 trains without a clip";
        } else if (selectionOnly && cvFolds < 2) {
            bad = "--selection-only needs --folds of at least 2, got " + cvFolds;
        } else if (exportOnly && export == null) {
            bad = "--export-only needs --export DIR";
        } else if (exportOnly && (selectionOnly || logAmounts)) {
            bad = (selectionOnly ? "--selection-only" : "--log-amounts") + " applies to training; --export-only "
                    + "trains nothing (the files hold the features as replayed)";
        } else if (selectionOnly && singleOnly) {
            bad = "--single-only and --selection-only: give one (the selection signal is measured on the 4 "
                    + "prequential weeks)";
        }
        if (bad != null) { // before the file is read: a bad command line costs nothing
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), bad);
        }
        TrainerConfig config = network.build(RawEventCommands.INSTANCE);
        Outputs.requireWritable(spec, "--export", export, true); // before the file is read, as train's outputs
        HandbookFeatures.Version version = RawEventCommands.featureSet(spec, featureSet);
        long t0 = System.nanoTime();
        RawEvents events = RawEventCsv.read(data);
        events.requireLabels("the protocol trains and tests on them");
        List<LocalDate> weeks = singleOnly ? List.of(HandbookProtocol.SINGLE_SPLIT_START)
                : HandbookProtocol.PREQUENTIAL_STARTS; // the single split's week is the first of them
        double[] features = FeatureReplay.replay(events, delayDays, version);
        System.out.printf("%d events read and replayed in %.1f s%n", events.size(), (System.nanoTime() - t0) / 1e9);
        HandbookProtocol p = new HandbookProtocol(events, features, delayDays, config);
        for (LocalDate week : weeks) { // before any training: a short file is refused at once, not after hours
            String partial = p.coverageProblem(week, !selectionOnly);
            if (partial != null) {
                throw new IllegalArgumentException(partial + (singleOnly || selectionOnly ? ""
                        : p.coverageProblem(HandbookProtocol.SINGLE_SPLIT_START, true) == null
                        ? "; --single-only runs the single split alone" : ""));
            }
        }
        RawEventCommands.warn(spec, RawEventCommands.repeatedIds(events), RawEventCommands.shortProtocolHistory(
                org.fraudscorer.trainer.events.EventPeriod.firstDay(events), weeks.get(0), delayDays));
        if (export != null) {
            exportFolds(p);
            if (exportOnly) {
                return 0;
            }
        }
        if (logAmounts) { // after the export (which writes raw features); p reads this same array
            int f = version.count();
            int[] amountColumns = {HandbookFeatures.AMOUNT, HandbookFeatures.CUSTOMER + 1,
                HandbookFeatures.CUSTOMER + 3, HandbookFeatures.CUSTOMER + 5};
            for (int r = 0; r < events.size(); r++) {
                for (int c : amountColumns) {
                    features[r * f + c] = Math.log1p(features[r * f + c]);
                }
            }
        }
        if (selectionOnly) {
            double sum = 0;
            for (LocalDate s : HandbookProtocol.PREQUENTIAL_STARTS) {
                var cv = p.selection(s, cvFolds,
                        org.fraudscorer.trainer.train.FraudModelTrainer.Options.defaultThreads(), TrainingListener.NONE);
                System.out.printf(java.util.Locale.ROOT, "week %s: validation AP %.4f ± %.4f over %d folds, best epoch %d%n",
                        s, cv.meanPrAuc(), cv.sdPrAuc(), cv.foldPrAuc().length, cv.bestEpoch());
                sum += cv.meanPrAuc();
            }
            System.out.printf(java.util.Locale.ROOT, "mean validation AP over the %d weeks: %.4f%n",
                    HandbookProtocol.PREQUENTIAL_STARTS.size(), sum / HandbookProtocol.PREQUENTIAL_STARTS.size());
            System.out.printf("total %.0f s%n", (System.nanoTime() - t0) / 1e9);
            return 0;
        }
        List<HandbookProtocol.FoldResult> folds = singleOnly ? List.of() : p.prequential(TrainingListener.NONE, ensemble, cvFolds,
                org.fraudscorer.trainer.train.FraudModelTrainer.Options.defaultThreads());
        // the single split is the first prequential fold (same week, same seed): not trained twice
        HandbookProtocol.FoldResult single = !folds.isEmpty()
                && folds.get(0).trainStart().equals(HandbookProtocol.SINGLE_SPLIT_START) ? folds.get(0)
                : p.fold(HandbookProtocol.SINGLE_SPLIT_START, TrainingListener.NONE, ensemble, cvFolds,
                        org.fraudscorer.trainer.train.FraudModelTrainer.Options.defaultThreads());
        System.out.print(HandbookProtocol.table(single, folds));
        System.out.printf("total %.0f s%n", (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    private void exportFolds(HandbookProtocol p) throws IOException {
        List<Map.Entry<String, LocalDate>> folds = new ArrayList<>();
        folds.add(Map.entry("single", HandbookProtocol.SINGLE_SPLIT_START));
        if (!singleOnly) {
            for (LocalDate s : HandbookProtocol.PREQUENTIAL_STARTS) {
                folds.add(Map.entry("fold-" + s, s));
            }
        }
        for (var e : folds) {
            int[] n = p.export(e.getValue(), export, e.getKey());
            System.out.printf("exported %s: %d training rows, %d test rows to %s%n", e.getKey(), n[0], n[1], export);
        }
    }
}
