package org.fraudscorer.trainer.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.time.LocalDate;
import java.util.SplittableRandom;
import org.fraudscorer.trainer.data.RawEvents;
import org.junit.jupiter.api.Test;

class TransactionSimulatorTest {
    private static final TransactionSimulator.Config SMALL =
            new TransactionSimulator.Config(300, 600, 60, LocalDate.of(2018, 4, 1), 5, 7);

    private static String csv(TransactionSimulator.Simulated s) throws IOException {
        StringWriter w = new StringWriter();
        s.writeCsv(w);
        return w.toString();
    }

    @Test
    void sameSeedSameFileOtherSeedOtherFile() throws IOException {
        String a = csv(TransactionSimulator.simulate(SMALL));
        assertThat(csv(TransactionSimulator.simulate(SMALL))).isEqualTo(a);
        TransactionSimulator.Config other = new TransactionSimulator.Config(300, 600, 60, LocalDate.of(2018, 4, 1), 5, 8);
        assertThat(csv(TransactionSimulator.simulate(other))).isNotEqualTo(a);
    }

    @Test
    void csvReadsBackThroughTheRawEventReader() throws IOException {
        TransactionSimulator.Simulated s = TransactionSimulator.simulate(SMALL);
        RawEvents back = org.fraudscorer.trainer.data.RawEventCsvTest.parse(csv(s));
        assertThat(back.size()).isEqualTo(s.events().size());
        assertThat(back.frauds()).isEqualTo(s.events().frauds());
        assertThat(back.isTimeOrdered()).isTrue();
        for (int i = 0; i < back.size(); i += 97) {
            assertThat(back.event(i)).isEqualTo(s.events().event(i));
        }
    }

    @Test
    void scenariosFollowTheirRules() {
        TransactionSimulator.Simulated s = TransactionSimulator.simulate(SMALL);
        RawEvents e = s.events();
        int[] perScenario = new int[4];
        for (int i = 0; i < e.size(); i++) {
            perScenario[s.scenarios()[i]]++;
            assertThat(e.label(i)).isEqualTo(s.scenarios()[i] == 0 ? 0 : 1);
            if (s.scenarios()[i] == 0) {
                assertThat(e.amount(i)).as("a genuine payment is never above 220").isLessThanOrEqualTo(220);
            }
            if (s.scenarios()[i] == 1) {
                assertThat(e.amount(i)).isGreaterThan(220);
            }
            long secondOfDay = Math.floorMod(e.time(i), 86_400);
            assertThat(secondOfDay).isBetween(1L, 86_399L);
        }
        // expected volume: 300 customers × 2 payments a day (the mean of uniform(0, 4)) × 60 days = 36,000, less
        // time draws outside the day (|z| > 2.16: 3%) and customers with no terminal within radius 5 (600 terminals
        // put π·25/10,000·600 ≈ 4.7 within reach on average, P(none) ≈ 1%, more at the grid's edges)
        assertThat(e.size()).isBetween(30_000, 38_000);
        assertThat(perScenario[2]).as("compromised terminals").isPositive();
        assertThat(perScenario[3]).as("leaked credentials").isPositive();
        double fraudRate = (double) e.frauds() / e.size();
        assertThat(fraudRate).isBetween(0.005, 0.2);
    }

    @Test
    void poissonAndSampleHelpers() {
        SplittableRandom r = new SplittableRandom(1);
        long sum = 0;
        for (int i = 0; i < 100_000; i++) {
            sum += TransactionSimulator.poisson(r, 2.5);
        }
        assertThat(sum / 100_000.0).isBetween(2.47, 2.53); // sd of the mean = sqrt(2.5/1e5) = 0.005
        int[] s = TransactionSimulator.sample(r, 10, 4);
        assertThat(s).hasSize(4).isSorted().doesNotHaveDuplicates();
        assertThat(TransactionSimulator.sample(r, 2, 5)).containsExactly(0, 1);
        assertThat(TransactionSimulator.nearTerminals(50, 50, new double[] {50, 54.9, 56}, new double[] {50, 50, 50}, 5))
                .containsExactly(0, 1);
    }
}
