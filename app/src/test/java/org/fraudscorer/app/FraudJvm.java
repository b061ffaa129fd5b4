package org.fraudscorer.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line of {@code ./fraud ARGS} in a child JVM, as the launcher runs it, for tests that signal it. */
final class FraudJvm {
    private FraudJvm() {
    }

    /**
     * {@code java --add-modules jdk.incubator.vector JVM_OPTIONS -cp <the tests' class path> FraudCli ARGS}.
     *
     * @param jvmOptions system properties and the like, before the class path (e.g. the shipped logging)
     */
    static List<String> command(List<String> jvmOptions, String... args) {
        List<String> c = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector"));
        c.addAll(jvmOptions);
        c.addAll(List.of("-cp", System.getProperty("java.class.path"), FraudCli.class.getName()));
        c.addAll(List.of(args));
        return c;
    }
}
