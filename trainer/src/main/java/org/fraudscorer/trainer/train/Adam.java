package org.fraudscorer.trainer.train;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.fraudscorer.common.nn.Parameter;

/** Adam (Kingma and Ba 2015) with bias-corrected first and second moment estimates. */
public final class Adam implements Optimizer {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final Map<Parameter, double[][]> moments = new IdentityHashMap<>();
    private long t;

    public Adam(double beta1, double beta2, double eps) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
    }

    @Override
    public void step(List<Parameter> parameters, double lr) {
        t++;
        // Bias correction: E[m_t] = (1 − β1^t)·E[g], so dividing by (1 − β^t) unbiases the moments early on.
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        double stepSize = lr * Math.sqrt(c2) / c1;
        double epsHat = eps * Math.sqrt(c2);
        for (Parameter p : parameters) {
            double[][] mv = moments.computeIfAbsent(p, k -> new double[][] {new double[k.size()], new double[k.size()]});
            double[] m = mv[0];
            double[] v = mv[1];
            double[] w = p.value();
            double[] g = p.grad();
            for (int i = 0; i < w.length; i++) {
                m[i] = beta1 * m[i] + (1 - beta1) * g[i];
                v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
                w[i] -= stepSize * m[i] / (Math.sqrt(v[i]) + epsHat);
            }
        }
    }

    @Override
    public String describe() {
        return "adam(beta1=" + beta1 + ", beta2=" + beta2 + ", eps=" + eps + ")";
    }
}
