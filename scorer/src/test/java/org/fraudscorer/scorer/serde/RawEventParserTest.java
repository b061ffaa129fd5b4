package org.fraudscorer.scorer.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.fraudscorer.common.features.FeatureSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RawEventParserTest {
    private final RawEventParser events = new RawEventParser(RawEventParser.Kind.EVENT, 4096);
    private final RawEventParser labels = new RawEventParser(RawEventParser.Kind.LABEL, 4096);
    private final RawEventFields out = new RawEventFields();

    private ParseResult event(String json) {
        return events.parse(json.getBytes(StandardCharsets.UTF_8), out);
    }

    @Test
    void readsTheStringAndTheEpochSecondsFormsOfTheDateTimeAlike() {
        long t = LocalDateTime.of(2018, 8, 11, 23, 59, 7).toEpochSecond(ZoneOffset.UTC);
        ParseResult r = event("{\"TRANSACTION_ID\":17,\"TX_DATETIME\":\"2018-08-11T23:59:07\",\"CUSTOMER_ID\":3,"
                + "\"TERMINAL_ID\":9,\"TX_AMOUNT\":23.45}");
        assertThat(r.isOk()).as(r.toString()).isTrue();
        assertThat(r.id()).isEqualTo("17");
        assertThat(out.epochSeconds).isEqualTo(t);
        assertThat(out.customerId).isEqualTo(3);
        assertThat(out.terminalId).isEqualTo(9);
        assertThat(out.amount).isEqualTo(23.45);
        assertThat(event("{\"TX_AMOUNT\":1,\"TERMINAL_ID\":9,\"CUSTOMER_ID\":3,\"TX_DATETIME\":" + t
                + ",\"TRANSACTION_ID\":18}").isOk()).isTrue();
        assertThat(out.epochSeconds).isEqualTo(t);
        assertThat(event("{\"TRANSACTION_ID\":17,\"TX_DATETIME\":\"2018-08-11 23:59:07\",\"CUSTOMER_ID\":3,"
                + "\"TERMINAL_ID\":9,\"TX_AMOUNT\":5}").isOk()).isTrue();
        assertThat(out.epochSeconds).isEqualTo(t);
    }

    @Test
    void acceptsButNeverReadsTheLabelsOfALiveEvent() {
        ParseResult r = event(new String(RawEventJson.event(1, 86_400, 2, 3, 4.5), StandardCharsets.US_ASCII)
                .replace("}", ",\"TX_FRAUD\":1,\"TX_FRAUD_SCENARIO\":2,\"TX_TIME_SECONDS\":5,\"TX_TIME_DAYS\":0}"));
        assertThat(r.isOk()).as(r.toString()).isTrue();
        assertThat(out.fraud).isFalse();
        assertThat(event("{\"TRANSACTION_ID\":1,\"TX_DATETIME\":0,\"CUSTOMER_ID\":2,\"TERMINAL_ID\":3,"
                + "\"TX_AMOUNT\":4,\"TX_FRAUD\":{\"x\":1}}").reason()).isEqualTo(RejectReason.WRONG_TYPE);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"TRANSACTION_ID\":1,\"TX_DATETIME\":0,\"CUSTOMER_ID\":2,\"TERMINAL_ID\":3}|MISSING_FIELD|missing field [TX_AMOUNT]",
            "{\"TRANSACTION_ID\":\"1\",\"TX_DATETIME\":0,\"CUSTOMER_ID\":2,\"TERMINAL_ID\":3,\"TX_AMOUNT\":1}|WRONG_TYPE|TRANSACTION_ID",
            "{\"TRANSACTION_ID\":-1,\"TX_DATETIME\":0,\"CUSTOMER_ID\":2,\"TERMINAL_ID\":3,\"TX_AMOUNT\":1}|OUT_OF_RANGE|TRANSACTION_ID",
            "{\"TRANSACTION_ID\":1,\"TX_DATETIME\":\"2018-02-30T00:00:00\",\"CUSTOMER_ID\":2,\"TERMINAL_ID\":3,\"TX_AMOUNT\":1}|OUT_OF_RANGE|invalid date",
            "{\"TRANSACTION_ID\":1,\"TX_DATETIME\":\"2018-02-03T24:00:00\",\"CUSTOMER_ID\":2,\"TERMINAL_ID\":3,\"TX_AMOUNT\":1}|OUT_OF_RANGE|invalid time",
            "{\"TRANSACTION_ID\":1,\"TX_DATETIME\":\"2018-0x-03T00:00:00\",\"CUSTOMER_ID\":2,\"TERMINAL_ID\":3,\"TX_AMOUNT\":1}|WRONG_TYPE|non-digit",
            "{\"TRANSACTION_ID\":1,\"TX_DATETIME\":\"1969-12-31T23:59:59\",\"CUSTOMER_ID\":2,\"TERMINAL_ID\":3,\"TX_AMOUNT\":1}|OUT_OF_RANGE|year before 1970",
            "{\"TRANSACTION_ID\":1,\"TX_DATETIME\":\"2018-02-03\",\"CUSTOMER_ID\":2,\"TERMINAL_ID\":3,\"TX_AMOUNT\":1}|WRONG_TYPE|YYYY-MM-DDTHH:MM:SS",
            "{\"TRANSACTION_ID\":1,\"TX_DATETIME\":-5,\"CUSTOMER_ID\":2,\"TERMINAL_ID\":3,\"TX_AMOUNT\":1}|OUT_OF_RANGE|TX_DATETIME",
            "{\"TRANSACTION_ID\":1,\"TX_DATETIME\":0,\"CUSTOMER_ID\":2,\"TERMINAL_ID\":3,\"TX_AMOUNT\":-0.5}|OUT_OF_RANGE|TX_AMOUNT",
            "{\"TRANSACTION_ID\":1,\"TX_DATETIME\":0,\"CUSTOMER_ID\":2,\"TERMINAL_ID\":3,\"TX_AMOUNT\":NaN}|NOT_FINITE|TX_AMOUNT",
            "{\"TRANSACTION_ID\":1,\"TX_DATETIME\":0,\"CUSTOMER_ID\":2,\"TERMINAL_ID\":3,\"TX_AMOUNT\":1,\"tx_amount\":1}|UNKNOWN_FIELD|did you mean",
            "{\"TRANSACTION_ID\":1,\"TRANSACTION_ID\":2}|DUPLICATE_FIELD|TRANSACTION_ID",
            "{\"TRANSACTION_ID\":1,|MALFORMED_JSON|malformed",
            "[1]|NOT_AN_OBJECT|array",
            "{\"TRANSACTION_ID\":1,\"TX_DATETIME\":0,\"CUSTOMER_ID\":2,\"TERMINAL_ID\":3,\"TX_AMOUNT\":1} x|TRAILING_DATA|after",
            "{\"TRANSACTION_ID\":99999999999999999999,\"TX_DATETIME\":0,\"CUSTOMER_ID\":2,\"TERMINAL_ID\":3,\"TX_AMOUNT\":1}|OUT_OF_RANGE|TRANSACTION_ID"})
    void refusesWithTheReasonAndAPreciseDetail(String json, RejectReason reason, String detail) {
        ParseResult r = event(json);
        assertThat(r.reason()).as(r.toString()).isEqualTo(reason);
        assertThat(r.detail()).contains(detail);
    }

    @Test
    void refusesNullEmptyAndOversizedValues() {
        assertThat(events.parse(null, out).reason()).isEqualTo(RejectReason.NULL_VALUE);
        assertThat(events.parse(new byte[0], out).reason()).isEqualTo(RejectReason.EMPTY);
        assertThat(events.parse(new byte[5000], out).reason()).isEqualTo(RejectReason.OVERSIZE);
        assertThat(events.parse(new byte[] {'{', (byte) 0xC3, '}'}, out).reason()).isEqualTo(RejectReason.NOT_UTF8);
    }

    /** The envelope (size, encoding, one object, nothing after it) is StrictJson's: both parsers answer alike. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "NULL", "''", "'   '", "[1]", "42", "\"text\"", "{", "{} x", "{}{}", "{\"a\":1", "{'a':1}", "\ufeff{}",
            "{\u0000}", "{/* c */}"})
    void bothParsersRefuseABadEnvelopeWithTheSameReasonAndDetail(String text) {
        assertRefusedAlike(text == null ? null : text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void bothParsersRefuseOversizedAndNonUtf8ValuesWithTheSameReasonAndDetail() {
        assertRefusedAlike(new byte[5000]);
        assertRefusedAlike(new byte[] {'{', (byte) 0xC3, '}'});
    }

    private void assertRefusedAlike(byte[] value) {
        ParseResult raw = events.parse(value, out);
        ParseResult card = new TransactionParser(FeatureSchema.CREDITCARD, 4096)
                .parse(value, new double[FeatureSchema.CREDITCARD.inputCount()]);
        assertThat(raw.isOk()).isFalse();
        assertThat(raw.reason()).as(card.toString()).isEqualTo(card.reason());
        assertThat(raw.detail()).isEqualTo(card.detail());
    }

    @Test
    void labelsNeedIdTerminalTimeAndAZeroOrOneFraudFlag() {
        ParseResult r = labels.parse(RawEventJson.label(5, 3_600, 8, true), out);
        assertThat(r.isOk()).as(r.toString()).isTrue();
        assertThat(out.transactionId).isEqualTo(5);
        assertThat(out.terminalId).isEqualTo(8);
        assertThat(out.epochSeconds).isEqualTo(3_600);
        assertThat(out.fraud).isTrue();
        assertThat(labels.parse("{\"TRANSACTION_ID\":5,\"TERMINAL_ID\":8,\"TX_DATETIME\":0,\"TX_FRAUD\":2}"
                .getBytes(StandardCharsets.UTF_8), out).reason()).isEqualTo(RejectReason.OUT_OF_RANGE);
        assertThat(labels.parse("{\"TRANSACTION_ID\":5,\"TERMINAL_ID\":8,\"TX_DATETIME\":0,\"TX_FRAUD\":true}"
                .getBytes(StandardCharsets.UTF_8), out).reason()).isEqualTo(RejectReason.WRONG_TYPE);
        assertThat(labels.parse("{\"TRANSACTION_ID\":5,\"TERMINAL_ID\":8,\"TX_DATETIME\":0}"
                .getBytes(StandardCharsets.UTF_8), out).detail()).contains("missing field [TX_FRAUD]");
        assertThat(labels.parse(RawEventJson.event(1, 0, 2, 3, 4), out).reason()).isEqualTo(RejectReason.UNKNOWN_FIELD);
    }

    @ParameterizedTest
    @CsvSource({"0,0,true", "7,7,true", "123,123,true", "9223372036854775807,9223372036854775807,true",
            "0123,123,false", "00,0,false", "12,123,false", "1234,123,false", "124,123,false", "-1,1,false",
            "'',0,false", "' 1',1,false", "'1 ',1,false"})
    void aCardKeyIsTheCustomerIdInDecimalDigitsExactly(String key, long customer, boolean accepted) {
        ParseResult r = RawEventParser.checkCardKey(key.getBytes(StandardCharsets.UTF_8), customer);
        assertThat(r == null).as("key '%s', card %d", key, customer).isEqualTo(accepted);
        if (!accepted) {
            assertThat(r.reason()).isEqualTo(RejectReason.KEY_NOT_CARD);
            assertThat(r.detail()).contains("\"" + key + "\"").contains("CUSTOMER_ID " + customer);
        }
    }

    @Test
    void aMissingKeyIsNotACardKey() {
        assertThat(RawEventParser.checkCardKey(null, 5).detail()).isEqualTo(
                "record key null is not the event's CUSTOMER_ID 5 (the input is read as keyed by card)");
    }
}
