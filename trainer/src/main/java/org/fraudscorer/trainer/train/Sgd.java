package org.fraudscorer.trainer.train;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.fraudscorer.common.nn.Parameter;

/** Mini-batch SGD with classical momentum: v ← μ·v − η·g; θ ← θ + v. */
public final class Sgd implements Optimizer {
    private final double momentum;
    private final Map<Parameter, double[]> velocity = new IdentityHashMap<>();

    public Sgd(double momentum) {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        this.momentum = momentum;
    }

    @Override
    public void step(List<Parameter> parameters, double lr) {
        for (Parameter p : parameters) {
            double[] v = velocity.computeIfAbsent(p, k -> new double[k.size()]);
            double[] w = p.value();
            double[] g = p.grad();
            for (int i = 0; i < w.length; i++) {
                v[i] = momentum * v[i] - lr * g[i];
                w[i] += v[i];
            }
        }
    }

    @Override
    public String describe() {
        return "sgd(momentum=" + momentum + ")";
    }
}
