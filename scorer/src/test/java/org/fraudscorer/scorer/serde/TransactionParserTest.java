package org.fraudscorer.scorer.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fraudscorer.scorer.serde.TestEvents.SCHEMA;
import static org.fraudscorer.scorer.serde.TestEvents.utf8;
import static org.fraudscorer.scorer.serde.TestEvents.valid;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.fraudscorer.common.features.FeatureSchema;
import org.fraudscorer.common.features.FeatureSpec;
import org.fraudscorer.common.features.FieldRange;
import org.fraudscorer.common.features.Transform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TransactionParserTest {

    private final TransactionParser parser = new TransactionParser(SCHEMA);
    private final double[] inputs = new double[SCHEMA.inputCount()];

    /** A hand-written event with made-up values (not from any dataset), in schema order, no id. */
    private static final String EVENT = """
            {"Time": 7200.5,
             "V1": -1.25, "V2": 0.5, "V3": 2.0625, "V4": -0.001, "V5": 13.75, "V6": -7, "V7": 0,
             "V8": 3.14159, "V9": -2.718281828459045, "V10": 1e-3, "V11": -4.5E2, "V12": 0.1, "V13": 99.99,
             "V14": -0.3333333333333333, "V15": 12, "V16": -12.0, "V17": 6.02e2, "V18": -999.999, "V19": 1000,
             "V20": -1000, "V21": 0.0, "V22": -0.0, "V23": 5.5, "V24": -5.5, "V25": 8.125, "V26": -8.125,
             "V27": 0.015625, "V28": -0.75,
             "Amount": 149.62}
            """;
    private static final double[] EVENT_INPUTS = {
        7200.5,
        -1.25, 0.5, 2.0625, -0.001, 13.75, -7, 0,
        3.14159, -2.718281828459045, 1e-3, -4.5E2, 0.1, 99.99,
        -0.3333333333333333, 12, -12.0, 6.02e2, -999.999, 1000,
        -1000, 0.0, -0.0, 5.5, -5.5, 8.125, -8.125,
        0.015625, -0.75,
        149.62};

    @Test
    void validEventParsesToTheExactDoubles() {
        ParseResult r = parser.parse(utf8(EVENT), inputs);
        assertThat(r.isOk()).as("%s", r).isTrue();
        assertThat(r.reason()).isNull();
        assertThat(r.detail()).isNull();
        assertThat(r.id()).isNull();
        assertBitExact(inputs, EVENT_INPUTS);
    }

    @Test
    void fieldOrderDoesNotMatter() {
        Random rnd = new Random(7);
        for (int round = 0; round < 20; round++) {
            List<String> names = new ArrayList<>(SCHEMA.inputFields());
            names.add("id");
            names.add("Class");
            Collections.shuffle(names, rnd);
            StringBuilder json = new StringBuilder("{");
            for (String name : names) {
                String value = switch (name) {
                    case "id" -> "\"tx-" + round + "\"";
                    case "Class" -> "1";
                    default -> Double.toString(EVENT_INPUTS[SCHEMA.inputIndex(name)]);
                };
                json.append(json.length() > 1 ? "," : "").append('"').append(name).append("\":").append(value);
            }
            ParseResult r = parser.parse(utf8(json.append('}').toString()), inputs);
            assertThat(r).isEqualTo(ParseResult.ok("tx-" + round));
            assertBitExact(inputs, EVENT_INPUTS);
        }
    }

    @Test
    void idMayBeAStringOrAnInteger() {
        assertThat(parser.parse(valid().set("id", "\"tx-00042\"").bytes(), inputs).id()).isEqualTo("tx-00042");
        assertThat(parser.parse(valid().set("id", "42").bytes(), inputs).id()).isEqualTo("42");
        assertThat(parser.parse(valid().set("id", "-7").bytes(), inputs).id()).isEqualTo("-7");
        assertThat(parser.parse(valid().set("id", "123456789012345678901234567890").bytes(), inputs).id())
                .isEqualTo("123456789012345678901234567890");
        assertThat(parser.parse(valid().set("id", "\"caf\\u00e9 \\\"q\\\" \u20ac \ud83d\udcb3\"").bytes(), inputs).id())
                .isEqualTo("café \"q\" € \ud83d\udcb3");
        assertThat(parser.parse(valid().set("id", '"' + "x".repeat(128) + '"').bytes(), inputs).id()).hasSize(128);
        assertThat(parser.parse(valid().bytes(), inputs)).isSameAs(ParseResult.ok(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "\"1\"", "null", "true", "0.0"})
    void labelIsAcceptedAndIgnored(String label) {
        ParseResult r = parser.parse(valid().set("Class", label).bytes(), inputs);
        assertThat(r.isOk()).as("%s", r).isTrue();
        assertBitExact(inputs, TestEvents.validInputs());
    }

    @Test
    void surroundingWhitespaceAndEscapedNamesAreJson() {
        assertThat(parser.parse(utf8(" \r\n\t" + valid().json() + "\n"), inputs).isOk()).isTrue();
        String escaped = valid().json().replace("\"V1\"", "\"V\\u0031\"");
        assertThat(parser.parse(utf8(escaped), inputs).isOk()).isTrue();
        assertBitExact(inputs, TestEvents.validInputs());
    }

    @Test
    void boundariesOfTheRangesAreInclusive() {
        assertThat(parser.parse(valid().set("Amount", "0").set("V1", "-1000").set("V2", "1000.0")
                .set("Time", "0").bytes(), inputs).isOk()).isTrue();
        assertThat(parser.parse(valid().set("Amount", "1e7").set("Time", "1.7976931348623157E308").bytes(), inputs)
                .isOk()).isTrue();
        assertThat(inputs[0]).isEqualTo(Double.MAX_VALUE);
        assertThat(parser.parse(valid().set("V2", "1000.0000000000001").bytes(), inputs).reason())
                .isEqualTo(RejectReason.OUT_OF_RANGE);
        assertThat(parser.parse(valid().set("Amount", "10000000.000000002").bytes(), inputs).reason())
                .isEqualTo(RejectReason.OUT_OF_RANGE);
    }

    /** The fast double parser must agree bit for bit with the JDK on hard cases. */
    @ParameterizedTest
    @ValueSource(strings = {"2.2250738585072011e-308", "2.2250738585072012e-308", "4.9e-324", "5e-324", "1e-400",
        "-1e-400", "0.30000000000000004", "9007199254740993", "9007199254740993.0", "123456789012345678901234567890",
        "0.1000000000000000055511151231257827021181583404541015625", "7.038531e-26", "1.00000000000000011102230246251565404236316680908203125",
        "999.9999999999999", "-0", "-0.0", "1E2", "1e+2", "100e-2"})
    void numbersReadAsTheJdkReadsThem(String literal) {
        String field = "Time";  // the widest range: [0, Double.MAX_VALUE]
        ParseResult r = parser.parse(valid().set(field, literal).bytes(), inputs);
        assertThat(r.isOk()).as("%s", r).isTrue();
        double expected = literal.equals("-0") ? 0.0 : Double.parseDouble(literal);  // integer -0 reads as +0
        assertThat(Double.doubleToRawLongBits(inputs[SCHEMA.inputIndex(field)]))
                .as(literal).isEqualTo(Double.doubleToRawLongBits(expected));
    }

    @Test
    void writeThenParseRoundTripsBitExactlyOnRandomEvents() {
        Random rnd = new Random(20240601);
        for (int n = 0; n < 1_000; n++) {
            double[] expected = TestEvents.randomInputs(rnd);
            String id = rnd.nextBoolean() ? "tx-" + n : null;
            Integer label = rnd.nextInt(3) == 0 ? null : rnd.nextInt(2);
            ParseResult r = parser.parse(TransactionJson.write(SCHEMA, id, expected, label), inputs);
            assertThat(r).as("event %d: %s", n, Arrays.toString(expected)).isEqualTo(ParseResult.ok(id));
            assertBitExact(inputs, expected);
        }
    }

    @Test
    void outputArrayIsReusedAndFullyOverwritten() {
        Arrays.fill(inputs, 12345.0);
        parser.parse(utf8(EVENT), inputs);
        assertBitExact(inputs, EVENT_INPUTS);
        double[] other = TestEvents.validInputs();
        parser.parse(TransactionJson.write(SCHEMA, null, other, null), inputs);
        assertBitExact(inputs, other);
    }

    @Test
    void parsesAgainstAnySchema() {
        FeatureSchema toy = new FeatureSchema("toy", List.of("amount", "hour"),
                List.of(new FieldRange("amount", 0, 100), new FieldRange("hour", 0, 23)),
                List.of(new FeatureSpec("amount", "amount", Transform.LOG1P)));
        TransactionParser p = new TransactionParser(toy, 256, false);
        double[] out = new double[2];
        assertThat(p.parse(utf8("{\"hour\": 13, \"amount\": 9.5, \"id\": 7}"), out)).isEqualTo(ParseResult.ok("7"));
        assertThat(out).containsExactly(9.5, 13.0);
        assertThat(p.parse(utf8("{\"hour\": 24, \"amount\": 9.5}"), out).detail())
                .isEqualTo("hour = 24.0 is above the maximum 23.0");
        assertThat(p.parse(utf8("{\"hour\": 1, \"amount\": 1, \"V1\": 1}"), out).reason())
                .isEqualTo(RejectReason.UNKNOWN_FIELD);
        assertThat(p.parse(utf8("{\"hour\": 1, \"amount\": 1, \"Class\": 1}"), out).reason())
                .isEqualTo(RejectReason.UNKNOWN_FIELD);
        assertThat(p.parse(utf8("{\"hour\": 1, \"amount\": 1, \"pad\": \"" + "x".repeat(256) + "\"}"), out).reason())
                .isEqualTo(RejectReason.OVERSIZE);
    }

    @Test
    void callerErrorsThrow() {
        assertThatThrownBy(() -> parser.parse(valid().bytes(), new double[SCHEMA.inputCount() + 1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("30");
        assertThatThrownBy(() -> parser.parse(valid().bytes(), null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new TransactionParser(SCHEMA, 0)).isInstanceOf(IllegalArgumentException.class);
        FeatureSchema withId = new FeatureSchema("bad", List.of("id"), List.of(new FieldRange("id", 0, 1)), List.of());
        assertThatThrownBy(() -> new TransactionParser(withId)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reserves");
    }

    @Test
    void reasonCodesAreStable() {
        // Codes are the dead letters' reason and the metric tags: changing this list breaks dashboards and replays.
        assertThat(Arrays.stream(RejectReason.values()).map(RejectReason::code)).containsExactly(
                "NULL_VALUE", "EMPTY", "OVERSIZE", "NOT_UTF8", "MALFORMED_JSON", "NOT_AN_OBJECT", "TRAILING_DATA",
                "MISSING_FIELD", "UNKNOWN_FIELD", "DUPLICATE_FIELD", "WRONG_TYPE", "NOT_FINITE", "OUT_OF_RANGE",
                "BAD_ID", "LIMIT_EXCEEDED", "FUTURE_TIMESTAMP", "STALE_TIMESTAMP", "PROCESSING_ERROR",
                "OUTPUT_TOO_LARGE", "KEY_NOT_CARD", "FUTURE_EVENT_TIME", "DUPLICATE_EVENT", "LATE_EVENT");
        // One spelling on the wire: the code is the constant's name, so no reader can tell code() from name().
        assertThat(RejectReason.values()).allSatisfy(r -> assertThat(r.code()).isEqualTo(r.name()));
    }

    @Test
    void parseResultInvariants() {
        assertThat(ParseResult.ok(null)).isSameAs(ParseResult.ok(null));
        assertThat(ParseResult.ok("a").isOk()).isTrue();
        assertThatThrownBy(() -> ParseResult.rejected(RejectReason.EMPTY, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ParseResult(null, "detail", null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ParseResult.rejected(RejectReason.EMPTY, "value is empty", null))
                .hasToString("rejected(EMPTY: value is empty)");
    }

    static void assertBitExact(double[] actual, double[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(Double.doubleToRawLongBits(actual[i]))
                    .as("%s: %s vs %s", SCHEMA.inputFields().get(i), actual[i], expected[i])
                    .isEqualTo(Double.doubleToRawLongBits(expected[i]));
        }
    }
}
