package org.fraudscorer.trainer.train;

import java.util.List;
import org.fraudscorer.common.nn.Parameter;

/** Updates parameters in place from their gradients. Stateful (momentum, moments): one instance per network. */
public interface Optimizer {
    void step(List<Parameter> parameters, double learningRate);

    String describe();

    static Optimizer parse(String name, double momentum) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "adam" -> new Adam(0.9, 0.999, 1e-8);
            case "sgd" -> new Sgd(momentum);
            default -> throw new IllegalArgumentException("unknown optimiser '" + name + "' (known: adam, sgd)");
        };
    }
}
