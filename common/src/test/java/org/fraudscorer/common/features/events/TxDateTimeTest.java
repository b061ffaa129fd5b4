package org.fraudscorer.common.features.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TxDateTimeTest {
    private static final DateTimeFormatter FORM = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");
    private final TxDateTime parser = new TxDateTime();

    @Test
    void readsTheWallClockAsSecondsSince1970LikeLocalDateTimeAtUtc() {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            // mostly nearby times (the kept day is reused), now and then a jump to anywhere in years 1-9999
            long t = i % 100 == 0 ? r.nextLong(-62_135_596_800L, TxDateTime.MAX_EPOCH_SECONDS + 1)
                    : 1_522_540_800L + r.nextLong(0, 3 * 86_400L);
            String text = FORM.format(LocalDateTime.ofEpochSecond(t, 0, ZoneOffset.UTC));
            assertThat(parser.parse(text, 0, text.length())).as(text).isEqualTo(t);
            assertThat(parser.problem()).isNull();
        }
        assertThat(parser.parse("9999-12-31T23:59:59", 0, 19)).isEqualTo(TxDateTime.MAX_EPOCH_SECONDS);
    }

    @Test
    void acceptsASpaceForTheTAndReadsAPartOfALongerTextOrCharArray() {
        long t = LocalDateTime.of(2018, 8, 11, 23, 59, 7).toEpochSecond(ZoneOffset.UTC);
        assertThat(parser.parse("2018-08-11 23:59:07", 0, 19)).isEqualTo(t);
        String line = "17,2018-08-11T23:59:07,3";
        assertThat(parser.parse(line, 3, 22)).isEqualTo(t);
        assertThat(parser.parse(line.toCharArray(), 3, 19)).isEqualTo(t);
    }

    @ParameterizedTest
    @CsvSource({
            "2018-08-11, FORMAT", "2018-08-11T23:59:070, FORMAT", "2018/08/11T23:59:07, FORMAT",
            "2018-08-11X23:59:07, FORMAT", "2018-08-11T23.59.07, FORMAT", "2018-0x-11T23:59:07, NON_DIGIT",
            "2018-08-11T2a:59:07, NON_DIGIT", "+018-08-11T23:59:07, NON_DIGIT", "2018-02-30T00:00:00, INVALID_DATE",
            "2018-13-01T00:00:00, INVALID_DATE", "2018-00-01T00:00:00, INVALID_DATE",
            "2018-02-03T24:00:00, INVALID_TIME", "2018-02-03T23:60:00, INVALID_TIME",
            "2018-02-03T23:59:60, INVALID_TIME"})
    void refusesWhatIsNotADateTimeAndSaysWhy(String text, TxDateTime.Problem problem) {
        assertThat(parser.parse(text, 0, text.length())).isEqualTo(TxDateTime.INVALID);
        assertThat(parser.problem()).isEqualTo(problem);
    }

    @Test
    void anInvalidDateDoesNotSpoilTheKeptDay() {
        long t = LocalDateTime.of(2018, 2, 28, 1, 0, 0).toEpochSecond(ZoneOffset.UTC);
        assertThat(parser.parse("2018-02-28T01:00:00", 0, 19)).isEqualTo(t);
        assertThat(parser.parse("2018-02-29T01:00:00", 0, 19)).isEqualTo(TxDateTime.INVALID);
        assertThat(parser.parse("2018-02-28T24:00:00", 0, 19)).isEqualTo(TxDateTime.INVALID);
        assertThat(parser.parse("2018-02-28T01:00:01", 0, 19)).isEqualTo(t + 1);
        assertThat(parser.problem()).isNull();
    }
}
