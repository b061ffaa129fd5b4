package org.fraudscorer.common.nn;

/**
 * Whether single-record inference uses the SIMD kernels of {@link VectorKernels} (the JDK's Vector API,
 * {@code jdk.incubator.vector}) or the scalar ones of {@link Kernels}. Both compute every output as
 * {@code b + w0*x0 + w1*x1 + ...} in the same order with separately rounded products and sums (no fused
 * multiply-add), so they return bit-identical results: the choice changes speed, never a score.
 *
 * <p>The Vector API is an incubator module in Java 17, so it is only there when the JVM is started with
 * {@code --add-modules jdk.incubator.vector} (the {@code ./fraud} launcher, the Docker image and the build's
 * tests do). Without it, or with {@code -Dfraud.simd=off}, the scalar kernels are used.
 */
public final class Simd {
    /** System property: {@code off} forces the scalar kernels. */
    public static final String PROPERTY = "fraud.simd";

    private static final String MODULE = "jdk.incubator.vector";
    private static final boolean ENABLED;
    private static final String DESCRIPTION;

    static {
        boolean enabled = false;
        String description;
        if ("off".equalsIgnoreCase(System.getProperty(PROPERTY, ""))) {
            description = "scalar (SIMD turned off by -D" + PROPERTY + "=off)";
        } else if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
            description = "scalar (start the JVM with --add-modules " + MODULE + " for SIMD)";
        } else {
            int lanes = VectorKernels.lanes();
            enabled = lanes >= 2;
            description = enabled ? "SIMD (Vector API, " + lanes + " doubles per vector)"
                    : "scalar (this CPU offers no vector wider than one double)";
        }
        ENABLED = enabled;
        DESCRIPTION = description;
    }

    private Simd() {
    }

    /** True when {@link Inference} runs on the Vector API. */
    public static boolean enabled() {
        return ENABLED;
    }

    /** One line for logs and reports, e.g. {@code SIMD (Vector API, 4 doubles per vector)}. */
    public static String description() {
        return DESCRIPTION;
    }
}
