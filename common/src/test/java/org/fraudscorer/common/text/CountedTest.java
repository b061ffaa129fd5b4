package org.fraudscorer.common.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CountedTest {
    @Test
    void shouldGiveTheNounItsNumber() {
        assertThat(Counted.of(1, "fraud")).isEqualTo("1 fraud");
        assertThat(Counted.of(0, "fraud")).isEqualTo("0 frauds");
        assertThat(Counted.of(2_345, "fraud")).isEqualTo("2,345 frauds");
        assertThat(Counted.of(1, "day", "days")).isEqualTo("1 day");
        assertThat(Counted.of(1_000_000, "genuine payment")).isEqualTo("1,000,000 genuine payments");
    }
}
