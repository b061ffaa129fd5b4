package org.fraudscorer.scorer.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fraudscorer.scorer.serde.RejectReason.BAD_ID;
import static org.fraudscorer.scorer.serde.RejectReason.DUPLICATE_FIELD;
import static org.fraudscorer.scorer.serde.RejectReason.EMPTY;
import static org.fraudscorer.scorer.serde.RejectReason.LIMIT_EXCEEDED;
import static org.fraudscorer.scorer.serde.RejectReason.MALFORMED_JSON;
import static org.fraudscorer.scorer.serde.RejectReason.MISSING_FIELD;
import static org.fraudscorer.scorer.serde.RejectReason.NOT_AN_OBJECT;
import static org.fraudscorer.scorer.serde.RejectReason.NOT_FINITE;
import static org.fraudscorer.scorer.serde.RejectReason.NOT_UTF8;
import static org.fraudscorer.scorer.serde.RejectReason.NULL_VALUE;
import static org.fraudscorer.scorer.serde.RejectReason.OUT_OF_RANGE;
import static org.fraudscorer.scorer.serde.RejectReason.OVERSIZE;
import static org.fraudscorer.scorer.serde.RejectReason.TRAILING_DATA;
import static org.fraudscorer.scorer.serde.RejectReason.UNKNOWN_FIELD;
import static org.fraudscorer.scorer.serde.RejectReason.WRONG_TYPE;
import static org.fraudscorer.scorer.serde.TestEvents.utf8;
import static org.fraudscorer.scorer.serde.TestEvents.valid;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A corpus of malformed events, each differing from a valid event in one way (or not JSON at all), with
 * the reason it must be refused for and, where there is one, the field its detail must name.
 */
public class BadEventCorpusTest {

    private static final TransactionParser PARSER = new TransactionParser(TestEvents.SCHEMA);

    /** One corpus entry; {@code field} is null when the problem is not about a particular field. */
    public record Case(String name, byte[] payload, RejectReason expected, String field) {
        @Override
        public String toString() {
            return name;
        }
    }

    public static List<Case> corpus() {
        List<Case> c = new ArrayList<>();
        String ok = valid().json();

        // -- framing and encoding
        c.add(new Case("null value", null, NULL_VALUE, null));
        c.add(new Case("empty string", new byte[0], EMPTY, null));
        c.add(new Case("whitespace only", utf8(" \t\r\n  "), EMPTY, null));
        c.add(new Case("100 KB payload", utf8(valid().set("id", '"' + "x".repeat(100 * 1024) + '"').json()),
                OVERSIZE, null));
        c.add(new Case("array nested 10,000 levels", utf8("[".repeat(10_000) + "]".repeat(10_000)), OVERSIZE, null));
        c.add(new Case("object nested 10,000 levels", utf8("{\"V1\":".repeat(10_000) + "1" + "}".repeat(10_000)),
                OVERSIZE, null));
        c.add(new Case("lone continuation byte", withIdBytes(0x80), NOT_UTF8, null));
        c.add(new Case("overlong encoding of '/'", withIdBytes(0xC0, 0xAF), NOT_UTF8, null));
        c.add(new Case("UTF-8-encoded surrogate", withIdBytes(0xED, 0xA0, 0x80), NOT_UTF8, null));
        c.add(new Case("code point above U+10FFFF", withIdBytes(0xF4, 0x90, 0x80, 0x80), NOT_UTF8, null));
        c.add(new Case("Latin-1 e-acute", withIdBytes(0xE9), NOT_UTF8, null));
        c.add(new Case("0xFF byte before the object", concat(new byte[] {(byte) 0xFF}, utf8(ok)), NOT_UTF8, null));
        c.add(new Case("multi-byte sequence truncated at the end", concat(utf8(ok), new byte[] {(byte) 0xE2, (byte) 0x82}),
                NOT_UTF8, null));
        c.add(new Case("UTF-16LE with BOM", concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, ok.getBytes(
                java.nio.charset.StandardCharsets.UTF_16LE)), NOT_UTF8, null));
        c.add(new Case("UTF-16BE without BOM", ok.getBytes(java.nio.charset.StandardCharsets.UTF_16BE),
                MALFORMED_JSON, null));
        c.add(new Case("UTF-8 BOM", concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8(ok)),
                MALFORMED_JSON, null));
        c.add(new Case("NUL byte after the object", concat(utf8(ok), new byte[] {0}), MALFORMED_JSON, null));
        c.add(new Case("NUL byte inside a string", withIdBytes(0x00), MALFORMED_JSON, null));

        // -- JSON syntax
        c.add(new Case("truncated after the opening brace", utf8("{"), MALFORMED_JSON, null));
        c.add(new Case("truncated inside a field name", utf8("{\"Time\":1.0,\"V"), MALFORMED_JSON, null));
        c.add(new Case("truncated after a colon", utf8(cut(ok, "\"V3\":") + "\"V3\":"), MALFORMED_JSON, "V3"));
        c.add(new Case("truncated inside a number", utf8(cut(ok, "\"V3\":") + "\"V3\":-1."), MALFORMED_JSON, "V3"));
        c.add(new Case("truncated inside a string", utf8("{\"id\":\"tx-"), MALFORMED_JSON, "id"));
        c.add(new Case("missing closing brace", utf8(ok.substring(0, ok.length() - 1)), MALFORMED_JSON, null));
        c.add(new Case("trailing comma", utf8(valid().appendRaw(",").json()), MALFORMED_JSON, null));
        c.add(new Case("single quotes", utf8(ok.replace('"', '\'')), MALFORMED_JSON, null));
        c.add(new Case("block comment", utf8("/* replayed */" + ok), MALFORMED_JSON, null));
        c.add(new Case("line comment", utf8(ok.replace(",\"V2\"", ", // note\n\"V2\"")), MALFORMED_JSON, null));
        c.add(new Case("raw control character in a string", utf8(valid().set("id", "\"tx\u0001-1\"").json()),
                MALFORMED_JSON, "id"));
        c.add(new Case("raw tab in a string", utf8(valid().set("id", "\"tx\t1\"").json()), MALFORMED_JSON, "id"));
        c.add(new Case("unquoted field name", utf8(ok.replace("\"Amount\"", "Amount")), MALFORMED_JSON, null));
        c.add(new Case("leading zero", utf8(valid().set("V2", "01.5").json()), MALFORMED_JSON, "V2"));
        c.add(new Case("hexadecimal number", utf8(valid().set("V2", "0x1F").json()), MALFORMED_JSON, "V2"));
        c.add(new Case("leading decimal point", utf8(valid().set("V4", ".5").json()), MALFORMED_JSON, "V4"));
        c.add(new Case("leading plus sign", utf8(valid().set("V4", "+1.5").json()), MALFORMED_JSON, "V4"));
        c.add(new Case("missing value", utf8(valid().set("V4", "").json()), MALFORMED_JSON, "V4"));
        c.add(new Case("lower-case nan token", utf8(valid().set("V4", "nan").json()), MALFORMED_JSON, "V4"));

        // -- structure
        c.add(new Case("JSON array", utf8("[" + ok + "]"), NOT_AN_OBJECT, null));
        c.add(new Case("JSON string", utf8("\"" + ok.replace("\"", "\\\"") + "\""), NOT_AN_OBJECT, null));
        c.add(new Case("JSON number", utf8("42"), NOT_AN_OBJECT, null));
        c.add(new Case("JSON null", utf8("null"), NOT_AN_OBJECT, null));
        c.add(new Case("JSON boolean", utf8("true"), NOT_AN_OBJECT, null));
        c.add(new Case("array nested 8,000 levels", utf8("[".repeat(8_000) + "]".repeat(8_000)), NOT_AN_OBJECT, null));
        c.add(new Case("two objects concatenated", utf8(ok + ok), TRAILING_DATA, null));
        c.add(new Case("two objects on two lines", utf8(ok + "\n" + ok + "\n"), TRAILING_DATA, null));
        c.add(new Case("garbage after the object", utf8(ok + " xyz"), TRAILING_DATA, null));
        c.add(new Case("comma after the object", utf8(ok + ","), TRAILING_DATA, null));

        // -- fields
        c.add(new Case("missing V7 and Amount", valid().remove("V7").remove("Amount").bytes(), MISSING_FIELD, "V7"));
        c.add(new Case("missing Time", valid().remove("Time").bytes(), MISSING_FIELD, "Time"));
        c.add(new Case("empty object", utf8("{}"), MISSING_FIELD, "Amount"));
        c.add(new Case("misspelt label", valid().set("Clas", "0").bytes(), UNKNOWN_FIELD, "Clas"));
        c.add(new Case("wrong case", utf8(ok.replace("\"Amount\"", "\"amount\"")), UNKNOWN_FIELD, "amount"));
        c.add(new Case("extra field", valid().set("merchant", "\"ACME\"").bytes(), UNKNOWN_FIELD, "merchant"));
        c.add(new Case("nested object under an unknown name", valid().set("meta", "{\"a\":{\"b\":[1]}}").bytes(),
                UNKNOWN_FIELD, "meta"));
        c.add(new Case("V29 (not in the schema)", valid().set("V29", "0.5").bytes(), UNKNOWN_FIELD, "V29"));
        c.add(new Case("duplicate V3", valid().appendRaw(",\"V3\":1.0").bytes(), DUPLICATE_FIELD, "V3"));
        c.add(new Case("duplicate V3, same value", valid().appendRaw(",\"V3\":" + valid_V3()).bytes(),
                DUPLICATE_FIELD, "V3"));
        c.add(new Case("duplicate id", valid().set("id", "\"a\"").appendRaw(",\"id\":\"b\"").bytes(),
                DUPLICATE_FIELD, "id"));
        c.add(new Case("duplicate label", valid().set("Class", "0").appendRaw(",\"Class\":1").bytes(),
                DUPLICATE_FIELD, "Class"));

        // -- types
        c.add(new Case("null value for V1", valid().set("V1", "null").bytes(), WRONG_TYPE, "V1"));
        c.add(new Case("numeric string amount", valid().set("Amount", "\"12.5\"").bytes(), WRONG_TYPE, "Amount"));
        c.add(new Case("non-numeric string", valid().set("V5", "\"abc\"").bytes(), WRONG_TYPE, "V5"));
        c.add(new Case("\"NaN\" as a string", valid().set("V10", "\"NaN\"").bytes(), WRONG_TYPE, "V10"));
        c.add(new Case("empty string for Time", valid().set("Time", "\"\"").bytes(), WRONG_TYPE, "Time"));
        c.add(new Case("boolean true", valid().set("V6", "true").bytes(), WRONG_TYPE, "V6"));
        c.add(new Case("boolean false", valid().set("V6", "false").bytes(), WRONG_TYPE, "V6"));
        c.add(new Case("array value", valid().set("V8", "[1.0]").bytes(), WRONG_TYPE, "V8"));
        c.add(new Case("object value", valid().set("V9", "{\"x\":1}").bytes(), WRONG_TYPE, "V9"));
        c.add(new Case("value nested 5,000 levels", valid().set("V1", "[".repeat(5_000) + "]".repeat(5_000)).bytes(),
                WRONG_TYPE, "V1"));
        c.add(new Case("label as an object", valid().set("Class", "{\"fraud\":true}").bytes(), WRONG_TYPE, "Class"));

        // -- non-finite numbers
        c.add(new Case("NaN token", valid().set("V11", "NaN").bytes(), NOT_FINITE, "V11"));
        c.add(new Case("Infinity token", valid().set("V12", "Infinity").bytes(), NOT_FINITE, "V12"));
        c.add(new Case("-Infinity token", valid().set("V13", "-Infinity").bytes(), NOT_FINITE, "V13"));
        c.add(new Case("1e400 overflows", valid().set("Amount", "1e400").bytes(), NOT_FINITE, "Amount"));
        c.add(new Case("-1e400 overflows", valid().set("V14", "-1e400").bytes(), NOT_FINITE, "V14"));
        c.add(new Case("400-digit integer overflows", valid().set("V15", "9".repeat(400)).bytes(), NOT_FINITE, "V15"));
        c.add(new Case("1,500-digit number literal", valid().set("V16", "0." + "1".repeat(1_500)).bytes(),
                LIMIT_EXCEEDED, "V16"));

        // -- ranges
        c.add(new Case("negative amount", valid().set("Amount", "-5.0").bytes(), OUT_OF_RANGE, "Amount"));
        c.add(new Case("amount 1e12", valid().set("Amount", "1e12").bytes(), OUT_OF_RANGE, "Amount"));
        c.add(new Case("V1 = 5000", valid().set("V1", "5000").bytes(), OUT_OF_RANGE, "V1"));
        c.add(new Case("V28 just below -1000", valid().set("V28", "-1000.0000000001").bytes(), OUT_OF_RANGE, "V28"));
        c.add(new Case("negative Time", valid().set("Time", "-1").bytes(), OUT_OF_RANGE, "Time"));

        // -- ids
        c.add(new Case("id is an object", valid().set("id", "{\"tx\":1}").bytes(), BAD_ID, "id"));
        c.add(new Case("id is an array", valid().set("id", "[1]").bytes(), BAD_ID, "id"));
        c.add(new Case("id of 1000 chars", valid().set("id", '"' + "a".repeat(1000) + '"').bytes(), BAD_ID, "id"));
        c.add(new Case("id of 129 chars", valid().set("id", '"' + "a".repeat(129) + '"').bytes(), BAD_ID, "id"));
        c.add(new Case("id of 200 digits", valid().set("id", "7".repeat(200)).bytes(), BAD_ID, "id"));
        c.add(new Case("id is a fraction", valid().set("id", "1.5").bytes(), BAD_ID, "id"));
        c.add(new Case("id is null", valid().set("id", "null").bytes(), BAD_ID, "id"));
        c.add(new Case("id is a boolean", valid().set("id", "true").bytes(), BAD_ID, "id"));
        c.add(new Case("id is empty", valid().set("id", "\"\"").bytes(), BAD_ID, "id"));
        c.add(new Case("id with an escaped control character", valid().set("id", "\"tx\\u0007\"").bytes(), BAD_ID, "id"));
        c.add(new Case("id with an escaped NUL", valid().set("id", "\"tx\\u0000\"").bytes(), BAD_ID, "id"));
        c.add(new Case("id with an unpaired surrogate", valid().set("id", "\"tx\\ud800\"").bytes(), BAD_ID, "id"));
        // invisible format characters: a right-to-left override showed "x" + U+202E + "evil.exe" as "xexe.live" on the
        // analysts' page (a hunt); a zero-width space makes two ids look the same; a tag character is beyond the BMP
        c.add(new Case("id with a right-to-left override", valid().set("id", "\"x\\u202eevil.exe\"").bytes(), BAD_ID,
                "U+202E"));
        c.add(new Case("id with a zero-width space", valid().set("id", "\"tx\\u200b1\"").bytes(), BAD_ID, "U+200B"));
        c.add(new Case("id with a tag character", valid().set("id", "\"tx\\udb40\\udc01\"").bytes(), BAD_ID,
                "U+E0001"));
        return c;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void refusesWithTheExpectedReason(Case c) {
        double[] inputs = new double[TestEvents.SCHEMA.inputCount()];
        ParseResult r = PARSER.parse(c.payload(), inputs);
        assertThat(r.reason()).as("%s -> %s", c.name(), r).isEqualTo(c.expected());
        assertThat(r.isOk()).isFalse();
        assertThat(r.detail()).isNotBlank();
        if (c.field() != null) {
            assertThat(r.detail()).as("detail of %s", c.name()).contains(c.field());
        }
        // Details are safe to log: no raw control characters, and bounded even for a 100 KB payload.
        assertThat(r.detail()).doesNotContainPattern("\\p{Cntrl}").hasSizeLessThan(600);
    }

    @Test
    void corpusIsLargeAndCoversEveryReason() {
        List<Case> corpus = corpus();
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(40);
        Set<RejectReason> covered = corpus.stream().map(Case::expected).collect(Collectors.toSet());
        // The two timestamp reasons are decided by the topology from the Kafka record, PROCESSING_ERROR by a stage
        // that throws, OUTPUT_TOO_LARGE by the scored record's size, KEY_NOT_CARD by a raw event's record key and
        // FUTURE_EVENT_TIME by a raw event's time against its record's timestamp, DUPLICATE_EVENT by the payments the
        // card stage already took, LATE_EVENT by what its card's or terminal's history still keeps, not by the parser
        // (see
        // FraudTopologyTest, DeadLetterRouteTest, PoisonPillIT, RawEventTopologyKeyedByCardTest,
        // RawEventTopologyTest); every other reason must be covered here.
        assertThat(covered).containsExactlyInAnyOrderElementsOf(EnumSet.complementOf(EnumSet.of(
                RejectReason.FUTURE_TIMESTAMP, RejectReason.STALE_TIMESTAMP, RejectReason.PROCESSING_ERROR,
                RejectReason.OUTPUT_TOO_LARGE, RejectReason.KEY_NOT_CARD, RejectReason.FUTURE_EVENT_TIME,
                RejectReason.DUPLICATE_EVENT, RejectReason.LATE_EVENT)));
        assertThat(corpus.stream().map(Case::name).distinct().count()).isEqualTo(corpus.size());
        // every entry really differs from the valid event
        assertThat(corpus).noneMatch(c -> c.payload() != null && Arrays.equals(c.payload(), valid().bytes()));
    }

    @Test
    void detailsArePrecise() {
        assertThat(detail(valid().set("V3", "\"abc\"").bytes()))
                .isEqualTo("field V3: expected a number, got string \"abc\"");
        assertThat(detail(valid().set("Amount", "\"12.5\"").bytes()))
                .isEqualTo("field Amount: expected a number, got string \"12.5\" (numbers must not be quoted)");
        assertThat(detail(valid().remove("V7").remove("Amount").bytes())).isEqualTo("missing fields [V7, Amount]");
        assertThat(detail(valid().remove("V7").bytes())).isEqualTo("missing field [V7]");
        assertThat(detail(valid().set("Clas", "1").bytes())).isEqualTo("unknown field \"Clas\"");
        assertThat(detail(valid().set("amount", "1").remove("Amount").bytes()))
                .isEqualTo("unknown field \"amount\" (did you mean \"Amount\"?)");
        assertThat(detail(valid().set("Amount", "-5.0").bytes())).isEqualTo("Amount = -5.0 is below the minimum 0.0");
        assertThat(detail(valid().set("V11", "NaN").bytes())).isEqualTo("field V11: NaN is not a finite number");
        assertThat(detail(valid().set("V11", "1e400").bytes())).isEqualTo("field V11: 1e400 overflows a double");
        assertThat(detail(valid().appendRaw(",\"V3\":1").bytes())).isEqualTo("duplicate field \"V3\"");
        assertThat(detail(valid().set("id", "[1]").bytes()))
                .isEqualTo("field id: expected a string or an integer, got array");
        assertThat(detail(valid().set("id", '"' + "a".repeat(1000) + '"').bytes()))
                .isEqualTo("field id: is 1000 characters long, above the limit of 128");
        assertThat(detail(withIdBytes(0xC3, 0x28))).matches("invalid UTF-8 at byte offset \\d+: 0xC3");
        assertThat(detail(utf8("[1]"))).isEqualTo("expected a JSON object, got array");
        assertThat(detail(new byte[20_000])).isEqualTo("value is 20000 bytes, above the limit of 16384");
        // An echoed name is escaped and truncated.
        assertThat(detail(valid().set("x\\u0001" + "y".repeat(100), "1").bytes()))
                .startsWith("unknown field \"x\\u0001yyy").endsWith("\"... (102 chars)");
    }

    @Test
    void idReadBeforeTheProblemIsReportedWithTheRejection() {
        ParseResult r = PARSER.parse(utf8("{\"id\":\"tx-9\"," + valid().set("V2", "true").json().substring(1)),
                new double[TestEvents.SCHEMA.inputCount()]);
        assertThat(r.reason()).isEqualTo(WRONG_TYPE);
        assertThat(r.id()).isEqualTo("tx-9");
    }

    @Test
    void deepNestingBeyondTheDefaultSizeIsRefusedAtTheFirstBracket() {
        TransactionParser roomy = new TransactionParser(TestEvents.SCHEMA, 4 << 20);
        double[] inputs = new double[TestEvents.SCHEMA.inputCount()];
        byte[] arrays = utf8("[".repeat(1_000_000) + "]".repeat(1_000_000));
        byte[] objects = utf8("{\"V1\":".repeat(100_000) + "1" + "}".repeat(100_000));
        byte[] unknown = utf8("{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000));
        assertThat(roomy.parse(arrays, inputs).reason()).isEqualTo(NOT_AN_OBJECT);
        assertThat(roomy.parse(objects, inputs).reason()).isEqualTo(WRONG_TYPE);
        assertThat(roomy.parse(unknown, inputs).reason()).isEqualTo(UNKNOWN_FIELD);
    }

    @Test
    void labelIsAnUnknownFieldWhenNotExplicitlyAllowed() {
        TransactionParser strict = new TransactionParser(TestEvents.SCHEMA, TransactionParser.DEFAULT_MAX_BYTES, false);
        ParseResult r = strict.parse(valid().set("Class", "1").bytes(), new double[TestEvents.SCHEMA.inputCount()]);
        assertThat(r.reason()).isEqualTo(UNKNOWN_FIELD);
        assertThat(r.detail()).isEqualTo("unknown field \"Class\" (labels are refused by this parser: ignoreLabel is false)");
    }

    private static String detail(byte[] payload) {
        return PARSER.parse(payload, new double[TestEvents.SCHEMA.inputCount()]).detail();
    }

    private static String valid_V3() {
        return Double.toString(TestEvents.validInputs()[3]);
    }

    /** A valid event whose id string contains the given raw bytes. */
    private static byte[] withIdBytes(int... raw) {
        byte[] bytes = new byte[raw.length];
        for (int i = 0; i < raw.length; i++) {
            bytes[i] = (byte) raw[i];
        }
        String ok = valid().json();
        return concat(utf8("{\"id\":\"tx-"), bytes, utf8("\"," + ok.substring(1)));
    }

    /** The prefix of {@code json} up to (excluding) {@code marker}. */
    private static String cut(String json, String marker) {
        return json.substring(0, json.indexOf(marker));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
