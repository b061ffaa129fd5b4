package org.fraudscorer.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CurveTest {

    @Test
    void isImmutableAndComparesByContent() {
        double[] x = {0, 1};
        Curve curve = new Curve(x, new double[] {0, 1}, new double[] {0.9, 0.1});
        x[0] = 42;
        curve.x()[1] = 42;
        assertThat(curve.x()).containsExactly(0, 1);
        assertThat(curve.size()).isEqualTo(2);
        assertThat(curve).isEqualTo(new Curve(new double[] {0, 1}, new double[] {0, 1}, new double[] {0.9, 0.1}))
                .hasSameHashCodeAs(new Curve(new double[] {0, 1}, new double[] {0, 1}, new double[] {0.9, 0.1}));
    }

    @Test
    void rejectsMismatchedLengths() {
        assertThatThrownBy(() -> new Curve(new double[2], new double[3], new double[2]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2, 3, 2");
    }
}
