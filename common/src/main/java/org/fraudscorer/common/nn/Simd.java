package org.fraudscorer.common.nn;

/**
 * Whether the dense layers' affine step {@code z = W x + b} runs on the SIMD kernels of {@link VectorKernels} (the
 * JDK's Vector API, {@code jdk.incubator.vector}) or the scalar ones of {@link Kernels}: in single-record inference
 * ({@link Inference}) and in the batch forward pass of training and its evaluation ({@link DenseLayer#forward}, for
 * layers at least one vector wide). Both compute every output as
 * {@code b + w0*x0 + w1*x1 + ...} in the same order with separately rounded products and sums (no fused
 * multiply-add), so they return bit-identical results: the choice changes speed, never a score.
 *
 * <p>The Vector API is an incubator module in Java 17, so it is only there when the JVM is started with
 * {@code --add-modules jdk.incubator.vector} (the {@code ./fraud} launcher, the Docker image and the build's
 * tests do). Without it, or with {@code -Dfraud.simd=off}, the scalar kernels are used.
 *
 * <p>Only the affine step (and ReLU, fused into it for single records) is vectorised; every other activation runs
 * its scalar loop ({@link Activation#forward}) on both paths, which is what keeps them bit-identical.
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

    /** True when {@link Inference} and {@link DenseLayer}'s batch forward run on the Vector API. */
    public static boolean enabled() {
        return ENABLED;
    }

    /** One line for logs and reports, e.g. {@code SIMD (Vector API, 4 doubles per vector)}. */
    public static String description() {
        return DESCRIPTION;
    }
}
