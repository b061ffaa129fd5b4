package org.fraudscorer.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A model file's provenance is written and read back through the same keys. */
class ProvenanceTest {

    @Test
    void whatAProcedureWritesReadsBack() {
        Map<String, Object> refit = Provenance.of("data/history.csv").fit(Provenance.REFIT, 120, 7,
                Provenance.period(LocalDate.of(2018, 8, 1), LocalDate.of(2018, 8, 31)));

        assertThat(Provenance.isRefit(refit)).isTrue();
        assertThat(Provenance.data(refit)).isEqualTo("data/history.csv");
        assertThat(Provenance.trainTo(refit)).isEqualTo(LocalDate.of(2018, 8, 31));
        assertThat(refit).containsEntry(Provenance.FIT_ROWS, 120).containsEntry(Provenance.FIT_POSITIVES, 7)
                .containsEntry(Provenance.TRAIN_FROM, "2018-08-01");
        Map<String, Object> evaluated = Provenance.of("x.csv").fit(Provenance.EVALUATED, 1, 1, Map.of());
        assertThat(Provenance.isRefit(evaluated)).isFalse();
    }

    @Test
    void aFileThatDoesNotSayOrSaysSomethingElseReadsAsUnknown() {
        Map<String, Object> old = new HashMap<>();
        assertThat(Provenance.isRefit(old)).isFalse();
        assertThat(Provenance.data(old)).isNull();
        assertThat(Provenance.trainTo(old)).isNull();
        old.put(Provenance.TRAIN_TO, "last Tuesday"); // a hand-edited file
        assertThat(Provenance.trainTo(old)).isNull();
    }
}
