package org.fraudscorer.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.common.model.ModelFixtures;
import org.fraudscorer.common.model.ModelFormatException;
import org.fraudscorer.common.model.SigningKey;
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

    @Test
    void theInputTopicsEndOffsetsRoundTripThroughAModelFileUnderItsChecksum() throws Exception {
        // offsets beyond an int too: a topic's offsets only grow
        Map<Integer, Long> ends = Map.of(0, 812L, 1, 5_000_000_000L, 2, 0L);
        Map<Integer, Long> labelEnds = Map.of(0, 77L);
        ModelBundle model = ModelFixtures.bundle(3).withProvenance(Provenance.inputRead("cc.in", ends, "cc.labels",
                labelEnds));
        byte[] file = ModelFile.toBytes(model, SigningKey.generate());

        Map<String, Object> read = ModelFile.fromBytes(file, "model").provenance();

        assertThat(Provenance.inputEndOffsets(read, "cc.in")).isEqualTo(ends);
        assertThat(Provenance.inputEndOffsets(read, "transactions")).as("another topic: no claim").isNull();
        assertThat(Provenance.labelsEndOffsets(read, "cc.labels")).isEqualTo(labelEnds);
        assertThat(Provenance.labelsEndOffsets(read, "cc.in")).as("another topic: no claim").isNull();
        // the checksum (and so the signature) covers them: a file whose offsets were raised is refused
        String text = new String(file, StandardCharsets.UTF_8);
        assertThat(text).contains("\"0\" : 812");
        byte[] edited = text.replace("\"0\" : 812", "\"0\" : 912").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ModelFile.fromBytes(edited, "edited")).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("checksum");
    }

    @Test
    void aModelFileWithoutTheInputTopicsOffsetsLoadsAndSaysNothingOfThem() throws Exception {
        // the golden file of format version 1, written before the offsets were recorded
        byte[] golden;
        try (java.io.InputStream in = ModelFile.class.getResourceAsStream("/golden/model-format-v1.json")) {
            golden = in.readAllBytes();
        }
        Map<String, Object> old = ModelFile.fromBytes(golden, "golden").provenance();
        assertThat(old).doesNotContainKeys(Provenance.INPUT_TOPIC, Provenance.INPUT_END_OFFSETS);
        assertThat(Provenance.inputEndOffsets(old, "transactions")).isNull();
        // nor of the labels topic's, as a model of the day before they were recorded
        Map<String, Object> before = Provenance.inputRead("cc.in", Map.of(0, 3L), null, null);
        assertThat(before).doesNotContainKeys(Provenance.LABELS_TOPIC, Provenance.LABELS_END_OFFSETS);
        assertThat(Provenance.labelsEndOffsets(before, "transactions.labels")).isNull();
        // and a file that says something else than offsets (hand-edited) is as unknown
        Map<String, Object> odd = new HashMap<>(Provenance.inputRead("cc.in", Map.of(0, 3L), "cc.labels",
                Map.of(0, 1L)));
        odd.put(Provenance.LABELS_END_OFFSETS, Map.of("0", "one"));
        assertThat(Provenance.labelsEndOffsets(odd, "cc.labels")).isNull();
        odd.put(Provenance.INPUT_END_OFFSETS, Map.of("0", -1));
        assertThat(Provenance.inputEndOffsets(odd, "cc.in")).isNull();
        odd.put(Provenance.INPUT_END_OFFSETS, Map.of("first", 3));
        assertThat(Provenance.inputEndOffsets(odd, "cc.in")).isNull();
        odd.put(Provenance.INPUT_END_OFFSETS, "all of it");
        assertThat(Provenance.inputEndOffsets(odd, "cc.in")).isNull();
    }
}
