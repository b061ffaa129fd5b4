package org.fraudscorer.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import org.fraudscorer.common.nn.Activation;
import org.fraudscorer.common.nn.MLP;
import org.fraudscorer.trainer.cli.XorCommand;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Option;

class XorExperimentTest {

    /** The defaults {@code ./fraud xor} runs with, read from its picocli options. */
    private static long defaultSeed() throws ReflectiveOperationException {
        Field f = XorCommand.class.getDeclaredField("seed");
        return Long.parseLong(f.getAnnotation(Option.class).defaultValue());
    }

    private static int defaultSteps() throws ReflectiveOperationException {
        Field f = XorCommand.class.getDeclaredField("epochs");
        return Integer.parseInt(f.getAnnotation(Option.class).defaultValue());
    }

    @Test
    void xorCommandDefaultsAreSevenAndTwoThousandSteps() throws ReflectiveOperationException {
        assertThat(defaultSeed()).isEqualTo(7L);
        assertThat(defaultSteps()).isEqualTo(2_000);
        assertThat(new CommandLine(new XorCommand()).getCommandSpec().findOption("--seed").defaultValue())
                .isEqualTo("7");
    }

    @Test
    void aNetworkWithoutHiddenLayerCannotFitXor() throws ReflectiveOperationException {
        for (long seed : new long[] {defaultSeed(), 1L, 2L, 3L}) {
            XorExperiment.Result linear = XorExperiment.run(new int[] {2, 1}, seed, defaultSteps(), 0.05);
            assertThat(linear.accuracy()).as("seed %d", seed).isLessThanOrEqualTo(0.75);
            // the best a linear model can do on XOR under BCE is p = 0.5 everywhere: loss ln 2
            assertThat(linear.loss()).isGreaterThan(Math.log(2) - 1e-3);
        }
    }

    @Test
    void oneHiddenReluLayerFitsXorWithTheCommandsDefaultSeed() throws ReflectiveOperationException {
        XorExperiment.Result deep = XorExperiment.run(new int[] {2, 4, 1}, defaultSeed(), defaultSteps(), 0.05);

        assertThat(deep.accuracy()).isEqualTo(1.0);
        double[] p = deep.probabilities();
        assertThat(p[0]).isLessThan(0.5);
        assertThat(p[1]).isGreaterThan(0.5);
        assertThat(p[2]).isGreaterThan(0.5);
        assertThat(p[3]).isLessThan(0.5);
        assertThat(deep.loss()).isLessThan(0.1);
        // Training moved every layer, the hidden one included, away from the seeded initial weights: a backward pass
        // that stops after the output layer cannot. (With this seed, 4 random ReLU features happen to separate XOR, so
        // the output layer alone would also get the loss under 0.1 — measured 0.004; XorTest's seed is one where it
        // cannot, and asserts that.)
        MLP initial = MLP.build(new int[] {2, 4, 1}, Activation.RELU, 0.0, defaultSeed());
        for (int l = 0; l < initial.denseLayers().size(); l++) {
            assertThat(maxAbsDifference(deep.network().denseLayers().get(l).weights(), initial.denseLayers().get(l).weights()))
                    .as("change of layer %d's weights", l).isGreaterThan(0.1);
        }
    }

    private static double maxAbsDifference(double[] a, double[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    @Test
    void theExperimentIsDeterministic() {
        XorExperiment.Result a = XorExperiment.run(new int[] {2, 4, 1}, 7L, 50, 0.05);
        XorExperiment.Result b = XorExperiment.run(new int[] {2, 4, 1}, 7L, 50, 0.05);
        assertThat(a.probabilities()).isEqualTo(b.probabilities());
    }
}
