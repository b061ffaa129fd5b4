package org.fraudscorer.scorer.cli;

import org.fraudscorer.scorer.config.Topics;
import picocli.CommandLine.Option;

/** Every topic of {@link Topics}, each overridable: the commands that use them all take this mixin. */
public final class TopicOptions {
    @Option(names = "--input-topic", defaultValue = Topics.DEFAULT_INPUT, description = "Defaults to ${DEFAULT-VALUE}.")
    String input;
    @Option(names = "--flagged-topic", defaultValue = Topics.DEFAULT_FLAGGED, description = "Defaults to ${DEFAULT-VALUE}.")
    String flagged;
    @Option(names = "--clean-topic", defaultValue = Topics.DEFAULT_CLEAN, description = "Defaults to ${DEFAULT-VALUE}.")
    String clean;
    @Option(names = "--dlq-topic", defaultValue = Topics.DEFAULT_DLQ, description = "Defaults to ${DEFAULT-VALUE}.")
    String dlq;
    @Option(names = "--model-topic", defaultValue = Topics.DEFAULT_MODELS, description = "Compacted model topic. Defaults to ${DEFAULT-VALUE}.")
    String models;
    @Option(names = "--labels-topic", defaultValue = Topics.DEFAULT_LABELS, description = "Label feedback for raw payment events. Defaults to ${DEFAULT-VALUE}.")
    String labels;
    @Option(names = "--shadow-topic", description = "One record per event scored while a challenger shadows the "
            + "champion (both decisions). Defaults to the input topic's name + '.shadow' (transactions.shadow).")
    String shadow;

    public Topics topics() {
        return new Topics(input, flagged, clean, dlq, models, labels, shadow == null ? Topics.shadowOf(input) : shadow);
    }
}
