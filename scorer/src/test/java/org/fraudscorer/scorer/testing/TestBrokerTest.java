package org.fraudscorer.scorer.testing;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** A restart test on a broker that cannot restart fails, unless the opt-out is set; it is never skipped quietly. */
class TestBrokerTest {
    private static final TestBroker EXTERNAL = new TestBroker() {
        @Override
        public String bootstrapServers() {
            return "kafka.example:9092";
        }

        @Override
        public String kind() {
            return "external";
        }
    };

    @Test
    void aBrokerThatCannotRestartFailsARestartTestUnlessOptedOut() {
        boolean optedOut = "1".equals(System.getenv(TestBroker.ALLOW_NO_RESTART_ENV));
        assertThatThrownBy(() -> EXTERNAL.requireRestart("SomeIT"))
                .isInstanceOf(optedOut ? TestAbortedException.class : AssertionError.class)
                .hasMessageContaining("SomeIT").hasMessageContaining("external broker at kafka.example:9092")
                .hasMessageContaining(TestBroker.ALLOW_NO_RESTART_ENV);
    }

    @Test
    void aBrokerThatCanRestartPasses() {
        TestBroker restartable = new TestBroker() {
            @Override
            public String bootstrapServers() {
                return "localhost:1";
            }

            @Override
            public String kind() {
                return "embedded";
            }

            @Override
            public boolean canRestart() {
                return true;
            }
        };
        assertThatCode(() -> restartable.requireRestart("SomeIT")).doesNotThrowAnyException();
    }
}
