package org.fraudscorer.scorer.cli;

import java.util.Properties;
import org.fraudscorer.scorer.config.LatencyProfile;
import org.fraudscorer.scorer.config.ScorerConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --guarantee} and {@code --profile}, declared once for the scorer and the demo, with their checks. */
public final class LatencyOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--guarantee", defaultValue = "exactly_once_v2",
            description = "exactly_once_v2 or at_least_once. Defaults to ${DEFAULT-VALUE}.")
    String guarantee;
    @Option(names = "--profile", defaultValue = "throughput", description = "throughput (commit every 100 ms,"
            + " producer batches fill for up to 100 ms, lz4: the most events/s, and it keeps up on a busy host where"
            + " low-latency fell behind) or low-latency (exactly-once: commit every 20 ms, a lower median where the"
            + " CPU has headroom, less capacity; at-least-once: commit every second, the lowest tail; linger 5 ms,"
            + " batches not compressed, a crashed instance's partitions taken over after 10 s, not 45); -p properties"
            + " (and the scorer's --config) override either"
            + " (docs/latency.md). Defaults to ${DEFAULT-VALUE}.")
    String profile;

    /** The profile named, checked with the guarantee: a bad value is a command-line error (exit 2). */
    public LatencyProfile check() {
        if (!guarantee.equals("exactly_once_v2") && !guarantee.equals("at_least_once")) {
            throw new ParameterException(mixee.commandLine(),
                    "--guarantee must be exactly_once_v2 or at_least_once, got '" + guarantee + "'");
        }
        try {
            return LatencyProfile.of(profile);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(mixee.commandLine(), e.getMessage());
        }
    }

    /** {@code --guarantee} as given. */
    public String guarantee() {
        return guarantee;
    }

    /**
     * The profile's settings for the guarantee in force: {@code processing.guarantee} among {@code kafka} (what
     * {@code -p} sets) wins over {@code --guarantee}.
     */
    public Properties properties(Properties kafka) {
        return check().properties(kafka.getProperty("processing.guarantee", guarantee));
    }

    /**
     * The profile's settings for the guarantee in force under the user's {@code kafka} properties, layered as every
     * product default is ({@link ScorerConfig#layered}: a plain setting of the user's replaces the profile's prefixed
     * one). What the scorer and the demo run with.
     */
    public Properties under(Properties kafka) {
        return ScorerConfig.layered(properties(kafka), kafka);
    }
}
