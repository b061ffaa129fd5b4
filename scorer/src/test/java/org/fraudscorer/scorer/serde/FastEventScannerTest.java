package org.fraudscorer.scorer.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.fraudscorer.common.features.FeatureSchema;
import org.junit.jupiter.api.Test;

/**
 * The fast path must never change a result: on every payload, {@link TransactionParser#parse} (fast path first) and
 * {@link TransactionParser#parseFully} (Jackson only) return equal results and bit-identical inputs. Checked on
 * generated valid events in many spellings, on hand-picked edge cases, and on seeded random mutations of valid
 * events; and the fast path must actually take the plain ones (else this would compare the full parser with itself).
 */
class FastEventScannerTest {
    private static final FeatureSchema SCHEMA = FeatureSchema.CREDITCARD;
    private static final int N = SCHEMA.inputCount();

    private final TransactionParser parser = new TransactionParser(SCHEMA);
    private final FastEventScanner scanner = new FastEventScanner(SCHEMA.inputFields(), true, TransactionParser.MAX_ID_LENGTH);

    @Test
    void plainEventsTakeTheFastPathWithTheFullParsersValues() {
        SplittableRandom rng = new SplittableRandom(1);
        int fast = 0;
        for (int k = 0; k < 3_000; k++) {
            byte[] payload = validEvent(rng, k);
            compare(payload);
            if (scanner.scan(payload, new double[N])) {
                fast++;
            }
        }
        // Only the spellings built to need the full parser (escapes, 19+ digit integers, non-ASCII ids) decline.
        assertThat(fast).as("events read by the fast path").isGreaterThan(2_400);
    }

    @Test
    void edgeCasesAgreeWithTheFullParser() {
        String[] values = {"0", "-0", "-0.0", "0.0", "1e-400", "-1e-400", "1E400", "-1e400", "123456789012345678",
            "-123456789012345678", "1234567890123456789", "9007199254740993", "0.1", "2.2250738585072014E-308",
            "4.9e-324", "1.7976931348623157e308", "1.7976931348623159e308", "01", "+1", "1.", ".5", "1e", "1e+",
            "-", "--1", "1.5e3", "1.5E-3", "NaN", "Infinity", "-Infinity", "\"1\"", "true", "null", "[1]", "{}",
            "1 2", "1x", "0x10", "1_0", "100.0000000000000000000000000000000000001"};
        for (String v : values) {
            compare(eventWith("V3", v));
        }
        List<String> payloads = new ArrayList<>(List.of(
            "", " ", "{}", "[]", "{", "}", "null", "\uFEFF" + plain("1"), plain("1") + " ", plain("1") + "x",
            plain("1") + "{}", " \n\t\r" + plain("1") + " \n", plain("1").replace("\"V1\"", "\"V\\u0031\""),
            plain("1").replace("\"V1\"", "\"V0\""), plain("1").replace("\"V2\":", "\"V1\":"),
            plain("1").replace(",\"V2\":1", ""), plain("1").replace("{", "{\"id\":\"a\",\"id\":\"b\","),
            plain("1").replace("{", "{\"id\":\"\","), plain("1").replace("{", "{\"id\":\"x\\ny\","),
            plain("1").replace("{", "{\"id\":\"caf\u00e9\","), plain("1").replace("{", "{\"id\":-0,"),
            plain("1").replace("{", "{\"id\":7.5,"), plain("1").replace("{", "{\"id\":\"" + "x".repeat(129) + "\","),
            plain("1").replace("{", "{\"id\":\"" + "x".repeat(128) + "\","), plain("1").replace("{", "{\"Class\":\"1\","),
            plain("1").replace("{", "{\"Class\":true,"), plain("1").replace("{", "{\"Class\":[1],"),
            plain("1").replace("{", "{\"Class\":NaN,"), plain("1").replace("{", "{\"Class\":1,\"Class\":1,"),
            plain("1").replace("{", "{\"Class\":tru,"), plain("1").replace("\"Amount\":1", "\"Amount\":-5"),
            plain("1").replace("\"Amount\":1", "\"Amount\":1e12"), plain("1").replace(":", " : "),
            plain("1").replace(",", " , "), plain("1").replace(",", ",,"), plain("1") .replace("}", ",}"),
            plain("1").replace("\"Time\"", "\"Ti\u0000me\""), plain("1").replace("{", "{\"id\":\"ab\u007fcd\","),
            plain("1").replace("\"Time\"", "\"Ti\u007fme\"")));
        for (String p : payloads) {
            compare(p.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void randomMutationsOfValidEventsAgreeWithTheFullParser() {
        SplittableRandom rng = new SplittableRandom(7);
        byte[] alphabet = " \t\n\r{}[]:,\"\\-+.0123456789eEVinfaNlsrtuxI\u0000".getBytes(StandardCharsets.ISO_8859_1);
        int ok = 0;
        int rejected = 0;
        for (int k = 0; k < 30_000; k++) {
            byte[] p = validEvent(rng, k);
            int edits = 1 + rng.nextInt(3);
            for (int e = 0; e < edits && p.length > 1; e++) {
                int at = rng.nextInt(p.length);
                byte c = rng.nextInt(20) == 0 ? (byte) (0x80 + rng.nextInt(0x80)) : alphabet[rng.nextInt(alphabet.length)];
                switch (rng.nextInt(3)) {
                    case 0 -> p[at] = c;
                    case 1 -> {
                        byte[] q = new byte[p.length + 1];
                        System.arraycopy(p, 0, q, 0, at);
                        q[at] = c;
                        System.arraycopy(p, at, q, at + 1, p.length - at);
                        p = q;
                    }
                    default -> {
                        byte[] q = new byte[p.length - 1];
                        System.arraycopy(p, 0, q, 0, at);
                        System.arraycopy(p, at + 1, q, at, p.length - at - 1);
                        p = q;
                    }
                }
            }
            if (compare(p)) {
                ok++;
            } else {
                rejected++;
            }
        }
        // Mutations that keep a valid event (a digit for a digit, whitespace) and ones that break it must both occur.
        assertThat(ok).isGreaterThan(1_000);
        assertThat(rejected).isGreaterThan(10_000);
    }

    /** Asserts equal results and identical input bits; returns whether the event was accepted. */
    private boolean compare(byte[] payload) {
        String shown = new String(payload, StandardCharsets.ISO_8859_1);
        if (payload.length == 0 || payload.length > parser.maxBytes()) {
            return false;
        }
        double[] viaFast = new double[N];
        double[] viaFull = new double[N];
        ParseResult fastResult = parser.parse(payload, viaFast);
        ParseResult fullResult = parser.parseFully(payload, viaFull);
        assertThat(fastResult).as(shown).isEqualTo(fullResult);
        if (fullResult.isOk()) {
            for (int i = 0; i < N; i++) {
                assertThat(Double.doubleToRawLongBits(viaFast[i])).as(shown + " field " + SCHEMA.inputFields().get(i))
                        .isEqualTo(Double.doubleToRawLongBits(viaFull[i]));
            }
        }
        return fullResult.isOk();
    }

    private static byte[] eventWith(String field, String value) {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < N; i++) {
            String f = SCHEMA.inputFields().get(i);
            b.append(i == 0 ? "" : ",").append('"').append(f).append("\":").append(f.equals(field) ? value : "1");
        }
        return b.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String plain(String value) {
        return new String(eventWith("", value), StandardCharsets.UTF_8);
    }

    /** A valid event (values in range) in one of many spellings: number forms, field order, whitespace, id, label. */
    private static byte[] validEvent(SplittableRandom rng, int k) {
        List<String> fields = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            String f = SCHEMA.inputFields().get(i);
            double v = f.equals("Amount") ? rng.nextDouble(0, 5_000) : f.equals("Time") ? rng.nextDouble(0, 170_000)
                    : rng.nextGaussian() * (rng.nextInt(10) == 0 ? 30 : 2);
            fields.add('"' + f + "\":" + spell(rng, v));
        }
        switch (k % 6) {
            case 1 -> fields.add("\"id\":\"tx-" + k + '"');
            case 2 -> fields.add("\"id\":" + (k - 3_000));
            case 3 -> fields.add("\"Class\":" + (k % 2));
            case 4 -> {
                fields.add("\"id\":\"row " + k + (k % 60 == 4 ? "\\u00e9\"" : k % 120 == 10 ? "\u00e9\"" : "\""));
                fields.add("\"Class\":" + (k % 3 == 0 ? "\"0\"" : k % 3 == 1 ? "null" : "0.0"));
            }
            default -> { }
        }
        if (k % 4 == 0) {
            Collections.shuffle(fields, new java.util.Random(k));
        }
        String sep = k % 5 == 0 ? " ,\n " : ",";
        String colonWs = k % 7 == 0 ? " : " : ":";
        StringBuilder b = new StringBuilder(k % 9 == 0 ? " { " : "{");
        for (int i = 0; i < fields.size(); i++) {
            b.append(i == 0 ? "" : sep).append(fields.get(i).replaceFirst("\":", "\"" + colonWs));
        }
        return b.append(k % 11 == 0 ? " }\n" : "}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String spell(SplittableRandom rng, double v) {
        return switch (rng.nextInt(8)) {
            case 0 -> String.format(Locale.ROOT, "%.6f", v);
            case 1 -> String.format(Locale.ROOT, "%.15e", v);
            case 2 -> String.format(Locale.ROOT, "%.3E", v);
            case 3 -> Long.toString(Math.round(v));
            case 4 -> rng.nextInt(50) == 0 ? "-0" : Long.toString(Math.round(v * 1e6)) + "e-6";
            case 5 -> rng.nextInt(50) == 0 ? "12345678901234567890e-20" : Double.toString(v).replace('E', 'e');
            // the exact binary value, up to ~50 digits: longer than the fast path takes, so rare here
            case 6 -> rng.nextInt(100) == 0 ? new java.math.BigDecimal(v).toPlainString() : Double.toString(v);
            default -> Double.toString(v);
        };
    }

    @Test
    void declinesRatherThanGuessing() {
        // A few shapes the fast path must leave to the full parser, checked directly on the scanner.
        double[] in = new double[N];
        assertThat(scanner.scan(eventWith("V1", "1234567890123456789"), in)).isFalse(); // 19 digits: BigInteger path
        assertThat(scanner.scan(plain("1").replace("\"V1\"", "\"V\\u0031\"").getBytes(StandardCharsets.UTF_8), in)).isFalse();
        assertThat(scanner.scan(eventWith("V1", "1E400"), in)).isFalse();
        assertThat(scanner.scan(eventWith("V1", "1"), in)).isTrue();
        assertThat(in).doesNotContain(Double.NaN);
        assertThat(Arrays.stream(in).allMatch(x -> x == 1.0)).isTrue();
        assertThat(scanner.scan(eventWith("V2", "-0"), in)).isTrue();
        assertThat(Double.doubleToRawLongBits(in[SCHEMA.inputIndex("V2")])).isEqualTo(Double.doubleToRawLongBits(0.0));
        assertThat(scanner.scan(eventWith("V2", "-0.0"), in)).isTrue();
        assertThat(Double.doubleToRawLongBits(in[SCHEMA.inputIndex("V2")])).isEqualTo(Double.doubleToRawLongBits(-0.0));
    }
}
