package org.fraudscorer.trainer.cli;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import org.fraudscorer.common.nn.Inference;
import org.fraudscorer.common.nn.MLP;
import org.fraudscorer.trainer.train.XorExperiment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./fraud xor}: why depth matters, on the four XOR points, with the decision boundaries as a PNG. */
@Command(name = "xor", mixinStandardHelpOptions = true,
        description = "Depth proof: no hidden layer cannot fit XOR, one hidden ReLU layer (2-4-1) can. Writes the decision boundaries.")
public final class XorCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "xor-boundary.png", description = "PNG to write. Defaults to ${DEFAULT-VALUE}.")
    Path out;
    @Option(names = "--seed", defaultValue = "7", description = "Defaults to ${DEFAULT-VALUE}.")
    long seed;
    @Option(names = "--epochs", defaultValue = "2000", description = "Full-batch steps. Defaults to ${DEFAULT-VALUE}.")
    int epochs;
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (epochs < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--epochs must be ≥ 1, got " + epochs);
        }
        Outputs.requireWritable(spec, "--out", out, false); // before the training, as every command's outputs
        java.io.PrintStream say = Outputs.say(out);
        XorExperiment.Result linear = XorExperiment.run(new int[] {2, 1}, seed, epochs, 0.05);
        XorExperiment.Result deep = XorExperiment.run(new int[] {2, 4, 1}, seed, epochs, 0.05);
        print(say, "2-1   (no hidden layer)", linear);
        print(say, "2-4-1 (one hidden ReLU layer)", deep);
        boolean shown = linear.accuracy() <= 0.75 && deep.accuracy() == 1.0;
        say.println(shown ? "Depth matters: the linear model cannot separate XOR, the hidden layer does."
                : "Not shown with this seed: the hidden layer did not fit XOR (its ReLUs can start dead on four "
                + "points; try another --seed, e.g. the default 7).");
        BufferedImage img = new BufferedImage(800, 400, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        panel(g, 0, linear.network(), "no hidden layer: acc " + linear.accuracy());
        panel(g, 400, deep.network(), "2-4-1 ReLU: acc " + deep.accuracy());
        g.dispose();
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        ImageIO.write(img, "png", png);
        org.fraudscorer.common.model.AtomicFiles.write(out, png.toByteArray()); // whole or not at all
        say.println("Decision boundaries written to " + out);
        return shown ? 0 : 1; // a demonstration that did not show what it claims is no success
    }

    private static void print(java.io.PrintStream say, String name, XorExperiment.Result r) {
        say.printf(Locale.ROOT, "%-32s accuracy %3.0f%%  loss %.4f  p(0,0)=%.3f p(0,1)=%.3f p(1,0)=%.3f p(1,1)=%.3f%n",
                name, 100 * r.accuracy(), r.loss(), r.probabilities()[0], r.probabilities()[1],
                r.probabilities()[2], r.probabilities()[3]);
    }

    /** Probability map over [-0.5, 1.5]²: red = class 1, blue = class 0; the four points drawn on top. */
    private static void panel(Graphics2D g, int x0, MLP net, String title) {
        Inference inf = net.newInference();
        double[] in = new double[2];
        for (int px = 0; px < 400; px++) {
            for (int py = 0; py < 400; py++) {
                in[0] = -0.5 + 2.0 * px / 400;
                in[1] = 1.5 - 2.0 * py / 400;
                double p = inf.probability(in);
                int r = (int) (255 * p);
                g.setColor(new Color(r, 90, 255 - r));
                g.fillRect(x0 + px, py, 1, 1);
            }
        }
        for (int i = 0; i < 4; i++) {
            int px = x0 + (int) ((XorExperiment.X[2 * i] + 0.5) / 2 * 400);
            int py = (int) ((1.5 - XorExperiment.X[2 * i + 1]) / 2 * 400);
            g.setColor(XorExperiment.Y[i] == 1 ? Color.WHITE : Color.BLACK);
            g.fillOval(px - 9, py - 9, 18, 18);
        }
        g.setColor(Color.WHITE);
        g.drawString(title, x0 + 10, 20);
    }
}
