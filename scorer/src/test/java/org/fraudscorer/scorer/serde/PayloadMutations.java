package org.fraudscorer.scorer.serde;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/** Random and mutated payloads for the seeded fuzz tests of the event parsers. */
final class PayloadMutations {
    /** Bytes that steer random payloads into the JSON tokenizer's interesting states. */
    static final byte[] JSON_ALPHABET = "{}[]\":,.-+eE0123456789 \t\n\r\\/ntrufalsNIy'xV".getBytes(StandardCharsets.US_ASCII);

    private PayloadMutations() {
    }

    /** One random mutation of {@code p}: bit flip, byte swap, deletion, insertion, duplication, truncation, a fragment. */
    static byte[] mutate(Random rnd, byte[] p, String[] fragments) {
        if (p.length == 0) {
            return randomBytes(rnd, 1 + rnd.nextInt(4));
        }
        int at = rnd.nextInt(p.length);
        switch (rnd.nextInt(8)) {
            case 0: { // flip one bit
                byte[] q = p.clone();
                q[at] ^= (byte) (1 << rnd.nextInt(8));
                return q;
            }
            case 1: { // replace one byte with a JSON-significant one
                byte[] q = p.clone();
                q[at] = JSON_ALPHABET[rnd.nextInt(JSON_ALPHABET.length)];
                return q;
            }
            case 2: { // delete a range
                int len = Math.min(p.length - at, 1 + rnd.nextInt(8));
                byte[] q = new byte[p.length - len];
                System.arraycopy(p, 0, q, 0, at);
                System.arraycopy(p, at + len, q, at, p.length - at - len);
                return q;
            }
            case 3: // insert random or JSON bytes
                return insert(p, at, rnd.nextBoolean() ? randomBytes(rnd, 1 + rnd.nextInt(4))
                        : randomFromAlphabet(rnd, 1 + rnd.nextInt(4)));
            case 4: { // duplicate a range (duplicate fields, trailing objects)
                int len = Math.min(p.length - at, 1 + rnd.nextInt(40));
                return insert(p, rnd.nextInt(p.length + 1), Arrays.copyOfRange(p, at, at + len));
            }
            case 5: // truncate
                return Arrays.copyOf(p, at);
            case 6: // insert a meaningful fragment
                return insert(p, at, fragments[rnd.nextInt(fragments.length)].getBytes(StandardCharsets.UTF_8));
            default: { // swap in whitespace (often still valid)
                return insert(p, at, new byte[] {" \t\n\r".getBytes(StandardCharsets.US_ASCII)[rnd.nextInt(4)]});
            }
        }
    }

    static byte[] insert(byte[] p, int at, byte[] ins) {
        byte[] q = new byte[p.length + ins.length];
        System.arraycopy(p, 0, q, 0, at);
        System.arraycopy(ins, 0, q, at, ins.length);
        System.arraycopy(p, at, q, at + ins.length, p.length - at);
        return q;
    }

    static byte[] randomBytes(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    static byte[] randomFromAlphabet(Random rnd, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = JSON_ALPHABET[rnd.nextInt(JSON_ALPHABET.length)];
        }
        return b;
    }

    static byte[] randomFragments(Random rnd, int n, String[] fragments) {
        StringBuilder sb = new StringBuilder(rnd.nextBoolean() ? "{" : "");
        for (int i = 0; i < n; i++) {
            sb.append(fragments[rnd.nextInt(fragments.length)]);
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
