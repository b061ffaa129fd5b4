package org.fraudscorer.scorer.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class BackfillTest {
    @Test
    void shouldReadTheMarkAndTheLabelOfAHistoryRecord() {
        assertThat(Backfill.isMarked(Backfill.mark(new RecordHeaders()))).isTrue();
        assertThat(Backfill.label(Backfill.mark(new RecordHeaders()))).isEqualTo(-1);
        assertThat(Backfill.label(Backfill.mark(new RecordHeaders(), true))).isEqualTo(1);
        assertThat(Backfill.label(Backfill.mark(new RecordHeaders(), false))).isEqualTo(0);
    }

    @Test
    void shouldReadTheRunOfAHistoryRecordAndNoneElsewhere() {
        var h = Backfill.mark(new RecordHeaders(), -42, 1);
        assertThat(Backfill.run(h)).isEqualTo(-42);
        assertThat(Backfill.label(h)).isEqualTo(1);
        assertThat(Backfill.label(Backfill.mark(new RecordHeaders(), 7, -1))).isEqualTo(-1);
        assertThat(Backfill.run(Backfill.mark(new RecordHeaders()))).as("an older backfill's record").isZero();
        var live = new RecordHeaders().add(Backfill.RUN_HEADER, "7".getBytes(StandardCharsets.US_ASCII));
        assertThat(Backfill.run(live)).as("not history").isZero();
        var odd = Backfill.mark(new RecordHeaders()).add(Backfill.RUN_HEADER, "x7".getBytes(StandardCharsets.US_ASCII));
        assertThat(Backfill.run(odd)).isZero();
        assertThat(Backfill.newRun()).isNotZero().isNotEqualTo(Backfill.newRun());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Backfill.mark(new RecordHeaders(), 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldIgnoreALabelOnALiveRecordAndAnyOtherValue() {
        var live = new RecordHeaders().add(Backfill.LABEL_HEADER, "1".getBytes(StandardCharsets.US_ASCII));
        assertThat(Backfill.isMarked(live)).isFalse();
        assertThat(Backfill.label(live)).as("a live event never brings its own label").isEqualTo(-1);
        var odd = new RecordHeaders().add(Backfill.HEADER, "yes".getBytes(StandardCharsets.US_ASCII));
        assertThat(Backfill.isMarked(odd)).isFalse();
        assertThat(Backfill.isMarked(null)).isFalse();
    }
}
