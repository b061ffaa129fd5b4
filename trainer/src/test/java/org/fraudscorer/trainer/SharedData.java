package org.fraudscorer.trainer;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the development data in {@code ../shared/data/}, beside the project's root; the data is never
 * committed into the project. When a file is absent its tests are skipped, unless the environment says
 * {@code FRAUD_REQUIRE_DATA=1} (as CI does), in which case they fail.
 */
public final class SharedData {

    private static final String REQUIRE_VARIABLE = "FRAUD_REQUIRE_DATA";
    private static final String DIR_VARIABLE = "FRAUD_DATA_DIR";

    private SharedData() {
    }

    /** {@code ../shared/data/creditcard-sample.csv}: 6,275 real rows of the ULB Kaggle data set. */
    public static Path creditcardSample() {
        return require("creditcard-sample.csv");
    }

    /**
     * The path of {@code ../shared/data/<name>}, skipping the calling test if it is absent (failing it if
     * {@code FRAUD_REQUIRE_DATA=1}).
     */
    public static Path require(String name) {
        String shown = "../shared/data/" + name;
        // FRAUD_DATA_DIR points elsewhere when the clone does not sit beside shared/ (set by .ci/run if needed).
        String override = System.getenv(DIR_VARIABLE);
        Path file = override != null && !override.isBlank() ? Path.of(override).resolve(name).toAbsolutePath()
                : projectRoot().resolve(shown).normalize();
        if (Files.isRegularFile(file)) {
            return file;
        }
        if ("1".equals(System.getenv(REQUIRE_VARIABLE))) {
            fail(shown + " not found (looked for " + file + ") and " + REQUIRE_VARIABLE + "=1 requires it");
        }
        Assumptions.abort(shown + " not found: data tests skipped (set " + REQUIRE_VARIABLE + "=1 to require them)");
        throw new AssertionError("unreachable");
    }

    /**
     * The project's root: the nearest directory, from the working directory up, holding the trainer module.
     * Maven runs tests in the module's directory, an IDE often in the root.
     */
    static Path projectRoot() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isRegularFile(dir.resolve("trainer/pom.xml"))) {
                return dir;
            }
        }
        return start.getParent() != null ? start.getParent() : start;
    }
}
