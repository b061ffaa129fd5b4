package org.fraudscorer.common.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fraudscorer.common.features.FeatureSchema;
import org.fraudscorer.common.features.FeatureSpec;
import org.fraudscorer.common.features.FieldRange;
import org.fraudscorer.common.features.Preprocessing;
import org.fraudscorer.common.features.QuantileMap;
import org.fraudscorer.common.features.Transform;
import org.fraudscorer.common.nn.Activation;
import org.fraudscorer.common.nn.DenseLayer;
import org.fraudscorer.common.nn.MLP;

/**
 * The model file: one human-readable JSON document,
 * <pre>{ "format": "fraud-scorer-model", "formatVersion": 2, "sha256": "…", "model": { … } }</pre>
 * where {@code sha256} is the SHA-256 of the canonical form of {@code model} (keys sorted, no white space,
 * numbers in Java's shortest round-trip form). Loading verifies the checksum, the format version and every
 * shape before anything is built: a file either loads completely or is refused with a
 * {@link ModelFormatException}. No Java serialisation; sizes are bounded. A layer's activation is stored by its
 * {@link Activation#id()}; a name this build does not know refuses the file whatever its version ("inconsistent").
 *
 * <p>Version 2 holds an ensemble: {@code "members": [network, …]} and {@code "combination": "mean-logit"} (see
 * {@link ModelBundle}). Version 1 held one {@code "network"}; such files still load, as a one-member model with the
 * same predictions. Version 3 adds per-feature quantile maps to the preprocessing ({@code "quantiles": [{"x": […],
 * "z": […]}, …]}, see {@link org.fraudscorer.common.features.QuantileMap}); a model without them is still written as
 * version 2, so builds that read versions 1 and 2 keep loading it, and refuse (by the version) a model whose inputs
 * they would map wrongly. This build writes version 2 or 3 and reads 1 to 3.
 *
 * <p>A file may be signed: {@code "signature": {"keyId": …, "algorithm": "Ed25519", "value": base64}} beside the
 * checksum, over the same canonical bytes of {@code model} (with the format version bound in; see
 * {@link ModelSignature}). Every writer signs through {@link #write(ModelBundle, Path, SigningKey)},
 * {@link #toBytes(ModelBundle, SigningKey)} or {@link #sign}; a loader that is given {@link TrustedKeys} checks the
 * signature before it builds anything ({@link #loadTrusted}). A signature over a version 1 file is allowed (signing
 * keeps the body and its declared version), so a model already serving can be signed without retraining.
 */
public final class ModelFile {
    public static final String FORMAT = "fraud-scorer-model";
    public static final int FORMAT_VERSION = 3;
    /** The version of a model without quantile maps: what builds before version 3 read. */
    static final int PLAIN_VERSION = 2;
    /** The first version with quantile maps; such a model is written as this version. */
    static final int QUANTILE_VERSION = 3;
    /** The oldest format version this build still reads (a single {@code "network"}). */
    public static final int OLDEST_READABLE_VERSION = 1;
    /** Far above any network this product trains (a 29-16-16-1 file is about 20 KB); refuses absurd files early. */
    public static final long MAX_BYTES = 64L * 1024 * 1024;
    /** The most layer sizes (inputs, hidden layers, output) a network in a model file has. */
    public static final int MAX_LAYERS = 64;
    /** The most weights and biases a model file holds, all members together. */
    public static final long MAX_PARAMETERS = 4_000_000;
    /**
     * The most weights and biases a trainer may set out to write: a written weight takes about 23 bytes of JSON, so
     * beyond this a model could outgrow {@link #MAX_BYTES} and be refused after its training.
     */
    public static final long MAX_TRAINED_PARAMETERS = MAX_BYTES / 32;

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64)
                    .maxStringLength(1_000_000).maxDocumentLength(MAX_BYTES).build())
            .build())
            .enable(SerializationFeature.INDENT_OUTPUT);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern SOURCE_REDACTED = Pattern.compile("Source: REDACTED \\(`[^`]*` disabled\\); ");
    private static final Pattern NON_STANDARD_TOKEN = Pattern.compile("Non-standard token '([+-]?(?:NaN|INF|Infinity))'");

    private ModelFile() {
    }

    /** Writes the bundle atomically (temp file + move), unsigned, and returns it with its checksum set. */
    public static ModelBundle write(ModelBundle bundle, Path path) throws IOException {
        return write(bundle, path, null);
    }

    /**
     * Writes the bundle atomically (temp file + move), signed with {@code key} unless it is null, and returns it
     * with its checksum set.
     */
    public static ModelBundle write(ModelBundle bundle, Path path, SigningKey key) throws IOException {
        byte[] bytes = toBytes(bundle, key);
        ModelBundle written = fromBytes(bytes, path.toString()); // read back first: a file that would not load
        AtomicFiles.write(path, bytes);                          // never replaces the one at path
        return written;
    }

    /** The unsigned file content for a bundle (what {@code publish} sends to the model topic). */
    public static byte[] toBytes(ModelBundle bundle) {
        return toBytes(bundle, null);
    }

    /** The file content for a bundle, signed with {@code key} unless it is null. */
    public static byte[] toBytes(ModelBundle bundle, SigningKey key) {
        ObjectNode body = toJson(bundle);
        byte[] canonical = canonical(body);
        int version = versionFor(bundle);
        return serialise(root(version, sha256(canonical), key == null ? null : signature(key, version, canonical), body));
    }

    /** The lowest format version that holds the bundle: 3 with quantile maps, else 2. */
    static int versionFor(ModelBundle bundle) {
        return bundle.preprocessing().quantiles() == null ? PLAIN_VERSION : QUANTILE_VERSION;
    }

    /**
     * A model file's content signed with {@code key}: the file is verified first (checksum, version, shapes), then
     * its signature is set (replacing any other). The body and its declared format version are kept, so the
     * checksum does not change.
     */
    public static byte[] sign(byte[] modelFile, String origin, SigningKey key) {
        Loaded loaded = load(modelFile, origin, null, false);
        JsonNode root;
        try {
            root = MAPPER.readTree(modelFile);
        } catch (IOException e) {
            throw new IllegalStateException("model " + origin + " verified but cannot be read again", e);
        }
        ObjectNode body = (ObjectNode) root.get("model");
        byte[] canonical = canonical(body);
        return serialise(root(loaded.formatVersion(), root.get("sha256").asText(),
                signature(key, loaded.formatVersion(), canonical), body));
    }

    private static ObjectNode root(int formatVersion, String sha256, ObjectNode signature, ObjectNode body) {
        ObjectNode root = NODES.objectNode();
        root.put("format", FORMAT);
        root.put("formatVersion", formatVersion);
        root.put("sha256", sha256);
        if (signature != null) {
            root.set("signature", signature);
        }
        root.set("model", body);
        return root;
    }

    private static ObjectNode signature(SigningKey key, int formatVersion, byte[] canonicalBody) {
        ObjectNode s = NODES.objectNode();
        s.put("keyId", key.keyId());
        s.put("algorithm", ModelSignature.ALGORITHM);
        s.put("value", Base64.getEncoder().encodeToString(key.sign(ModelSignature.message(formatVersion, canonicalBody))));
        return s;
    }

    private static byte[] serialise(ObjectNode root) {
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write model JSON", e);
        }
    }

    /** The checksum the file of this bundle carries: SHA-256 of the canonical form of its {@code model} body. */
    static String checksum(ModelBundle bundle) {
        return sha256(canonical(toJson(bundle)));
    }

    /**
     * A verified model file: the bundle, the format version the file declared (for display, e.g. inspect), and who
     * signed it with what checking the signature found ({@link Authenticity.Status#NOT_CHECKED} when loaded without
     * trusted keys).
     */
    public record Loaded(ModelBundle bundle, int formatVersion, Authenticity authenticity) {
    }

    public static ModelBundle read(Path path) throws IOException {
        return load(path).bundle();
    }

    /** Reads and verifies a model file once, keeping the format version it declared; the signature is not checked. */
    public static Loaded load(Path path) throws IOException {
        return load(path, null);
    }

    /**
     * As {@link #load(Path)}, and checks the signature against {@code trusted} (unless null) without refusing: the
     * result's {@link Loaded#authenticity()} says what was found (for {@code inspect}).
     */
    public static Loaded load(Path path, TrustedKeys trusted) throws IOException {
        return load(readBounded(path), path.toString(), trusted, false);
    }

    /**
     * Reads and verifies a model file and refuses it, with a {@link ModelFormatException} naming the reason, unless
     * it is signed and its signature verifies with one of the trusted keys. The signature is checked before the
     * model is built from the file.
     */
    public static Loaded loadTrusted(Path path, TrustedKeys trusted) throws IOException {
        return loadTrusted(readBounded(path), path.toString(), trusted);
    }

    /** As {@link #loadTrusted(Path, TrustedKeys)}, for a file's content; {@code origin} names it in messages. */
    public static Loaded loadTrusted(byte[] bytes, String origin, TrustedKeys trusted) {
        return load(bytes, origin, java.util.Objects.requireNonNull(trusted, "trusted keys"), true);
    }

    /** As {@link #load(Path, TrustedKeys)}, for a file's content. */
    public static Loaded load(byte[] bytes, String origin, TrustedKeys trusted) {
        return load(bytes, origin, trusted, false);
    }

    /** A model file's bytes, refused (one line) when missing or over {@link #MAX_BYTES} before anything is read. */
    public static byte[] readBounded(Path path) throws IOException {
        long size;
        try {
            size = Files.size(path);
        } catch (NoSuchFileException e) {
            throw new ModelFormatException("model file " + path + " does not exist");
        }
        if (Files.isDirectory(path)) {
            throw new ModelFormatException("model file " + path + " is a directory: name the model's .json file");
        }
        if (size > MAX_BYTES) {
            throw new ModelFormatException("model file " + path + " is " + size + " bytes, over the limit of "
                    + MAX_BYTES);
        }
        try (InputStream in = Files.newInputStream(path)) {
            if (Files.isRegularFile(path)) {
                return in.readNBytes((int) size);
            }
            // a pipe (--model /dev/stdin) has no size: read up to one byte past the limit
            byte[] bytes = in.readNBytes((int) MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new ModelFormatException("model file " + path + " is over the limit of " + MAX_BYTES + " bytes");
            }
            return bytes;
        }
    }

    /** Parses and verifies a model file's content; {@code origin} names it in error messages. */
    public static ModelBundle fromBytes(byte[] bytes, String origin) {
        return load(bytes, origin, null, false).bundle();
    }

    private static Loaded load(byte[] bytes, String origin, TrustedKeys trusted, boolean requireTrusted) {
        if (bytes == null || bytes.length == 0) {
            throw new ModelFormatException("model " + origin + " is empty");
        }
        if (bytes.length > MAX_BYTES) {
            throw new ModelFormatException("model " + origin + " is " + bytes.length + " bytes, over the limit of "
                    + MAX_BYTES);
        }
        if (bytes.length >= 2 && bytes[0] == (byte) 0x1f && bytes[1] == (byte) 0x8b) { // read "CTRL-CHAR, code 31"
            throw new ModelFormatException("model " + origin + " is gzip-compressed: decompress it first (gunzip); "
                    + "a model file is JSON text");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (IOException e) {
            String nonFinite = nonFiniteToken(e);
            if (nonFinite != null) {
                // Jackson's own text would advise enabling a parser feature, which means nothing to a user.
                var at = ((JsonProcessingException) e).getLocation();
                throw new ModelFormatException("model " + origin + " holds a non-finite number (" + nonFinite + ")"
                        + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
                        + ": every weight and parameter must be a finite number", e);
            }
            throw new ModelFormatException("model " + origin + " is not valid JSON (truncated or corrupted?): "
                    + firstLine(e.getMessage()), e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelFormatException("model " + origin + " is not a JSON object");
        }
        if (!FORMAT.equals(root.path("format").asText(null))) {
            throw new ModelFormatException("model " + origin + " is not a " + FORMAT + " file (format = "
                    + root.path("format") + ")");
        }
        JsonNode fv = root.get("formatVersion");
        if (fv == null || !fv.isIntegralNumber() || !fv.canConvertToInt() || fv.asInt() < OLDEST_READABLE_VERSION
                || fv.asInt() > FORMAT_VERSION) {
            throw new ModelFormatException("model " + origin + " has format version " + fv
                    + "; this build reads versions " + OLDEST_READABLE_VERSION + " to " + FORMAT_VERSION);
        }
        JsonNode body = root.get("model");
        String declared = root.path("sha256").asText(null);
        if (body == null || !body.isObject()) {
            throw new ModelFormatException("model " + origin + " has no \"model\" object");
        }
        if (declared == null) {
            throw new ModelFormatException("model " + origin + " has no sha256 checksum");
        }
        byte[] canonical = canonical(body);
        String actual = sha256(canonical);
        if (!actual.equals(declared)) {
            throw new ModelFormatException("model " + origin + " fails its checksum (declared " + declared
                    + ", content " + actual + "): the file was modified or corrupted");
        }
        ModelSignature signature = readSignature(root.get("signature"), origin);
        Authenticity authenticity = signature == null ? Authenticity.unsigned()
                : trusted == null ? new Authenticity(Authenticity.Status.NOT_CHECKED, signature.keyId(), null)
                : trusted.check(signature, ModelSignature.message(fv.asInt(), canonical));
        if (requireTrusted && !authenticity.trusted()) {
            throw new ModelFormatException("model " + origin + " " + authenticity.refusal());
        }
        try {
            return new Loaded(fromJson(body, fv.asInt()).withSha256(actual), fv.asInt(), authenticity);
        } catch (ModelFormatException e) {
            throw new ModelFormatException("model " + origin + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException | NullPointerException | DateTimeParseException e) {
            throw new ModelFormatException("model " + origin + " is inconsistent: " + e.getMessage(), e);
        }
    }

    /**
     * A layer's activation by its id; an unknown one refuses the file saying it may come from a newer build (a new
     * activation needs no new format version, so an older build meets it as a name it does not know).
     */
    private static Activation activation(String id, int layer) {
        try {
            return Activation.parse(id);
        } catch (IllegalArgumentException unknown) {
            throw new ModelFormatException("layer " + layer + " has activation '" + id + "', which this build does not "
                    + "know (one of " + java.util.Arrays.stream(Activation.values()).map(Activation::id)
                    .collect(java.util.stream.Collectors.joining(", ")) + "): a model from a newer build?");
        }
    }

    /** The {@code "signature"} object of a file, or null if there is none; a malformed one refuses the file. */
    private static ModelSignature readSignature(JsonNode s, String origin) {
        if (s == null) {
            return null;
        }
        try {
            if (!s.isObject()) {
                throw new ModelFormatException("signature must be a JSON object");
            }
            byte[] value;
            try {
                value = Base64.getDecoder().decode(text(s, "value"));
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException("signature value is not base64: " + e.getMessage());
            }
            return new ModelSignature(text(s, "keyId"), text(s, "algorithm"), value);
        } catch (ModelFormatException e) {
            throw new ModelFormatException("model " + origin + ": " + e.getMessage(), e);
        }
    }

    /** The token if the parser stopped at NaN, Infinity or -Infinity (which strict JSON does not allow), else null. */
    private static String nonFiniteToken(IOException e) {
        if (!(e instanceof JsonProcessingException j) || j.getOriginalMessage() == null) {
            return null;
        }
        Matcher m = NON_STANDARD_TOKEN.matcher(j.getOriginalMessage());
        return m.lookingAt() ? m.group(1) : null;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        // Jackson's locations carry a note about a parser switch ("Source: REDACTED (`StreamReadFeature...` disabled); "):
        // noise to a user, the line and column are what matter.
        return SOURCE_REDACTED.matcher(nl < 0 ? s : s.substring(0, nl)).replaceAll("");
    }

    // ---- bundle → JSON -------------------------------------------------------------------------------

    private static ObjectNode toJson(ModelBundle b) {
        ObjectNode m = NODES.objectNode();
        m.put("modelVersion", b.modelVersion());
        m.put("createdAt", b.createdAt().toString());
        m.put("seed", b.seed());
        m.set("schema", schemaJson(b.schema()));
        ObjectNode pre = m.putObject("preprocessing");
        pre.set("means", doubles(b.preprocessing().means()));
        pre.set("stds", doubles(b.preprocessing().stds()));
        pre.put("clip", b.preprocessing().clip());
        if (b.preprocessing().quantiles() != null) {
            ArrayNode maps = pre.putArray("quantiles");
            for (QuantileMap q : b.preprocessing().quantiles()) {
                ObjectNode map = maps.addObject();
                map.set("x", doubles(q.x()));
                map.set("z", doubles(q.z()));
            }
        }
        m.put("combination", ModelBundle.COMBINATION);
        ArrayNode members = m.putArray("members");
        for (MLP member : b.members()) {
            members.add(networkJson(member));
        }
        ObjectNode th = m.putObject("threshold");
        th.put("value", b.threshold().value());
        th.put("method", b.threshold().method());
        // A metric that is not defined (e.g. PR-AUC of a test part without fraud) is NaN in memory and null in the
        // file: strict JSON has no NaN, and Jackson would write it as the string "NaN", which the checksum (computed
        // on numbers) would then refuse on reading.
        m.set("metrics", finiteOrNull(MAPPER.valueToTree(b.metrics())));
        m.set("hyperparameters", finiteOrNull(MAPPER.valueToTree(b.hyperparameters())));
        m.set("provenance", finiteOrNull(MAPPER.valueToTree(b.provenance())));
        if (b.monitoring() != null) {
            m.set("monitoring", monitoringJson(b.monitoring()));
        }
        return m;
    }

    /** {@code n} with every non-finite number (NaN, ±∞) replaced by null, in place. */
    private static JsonNode finiteOrNull(JsonNode n) {
        if (n instanceof ObjectNode o) {
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                e.setValue(finiteOrNull(e.getValue()));
            }
        } else if (n instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                a.set(i, finiteOrNull(a.get(i)));
            }
        } else if (n.isFloatingPointNumber() && !Double.isFinite(n.doubleValue())) {
            return com.fasterxml.jackson.databind.node.NullNode.getInstance();
        }
        return n;
    }

    private static ObjectNode monitoringJson(MonitoringReference r) {
        ObjectNode o = NODES.objectNode();
        o.put("rows", r.rows());
        o.put("rowsDescription", r.rowsDescription());
        o.put("flagRate", r.flagRate());
        ArrayNode features = o.putArray("features");
        for (MonitoringReference.Bins b : r.features()) {
            features.add(binsJson(b));
        }
        o.set("score", binsJson(r.score()));
        if (r.ranges() != null) {
            ArrayNode ranges = o.putArray("ranges");
            for (MonitoringReference.Range range : r.ranges()) {
                ranges.add(doubles(new double[] {range.min(), range.max()}));
            }
        }
        return o;
    }

    private static ObjectNode binsJson(MonitoringReference.Bins b) {
        ObjectNode o = NODES.objectNode();
        o.put("name", b.name());
        o.set("edges", doubles(b.edges()));
        o.set("expected", doubles(b.expected()));
        return o;
    }

    private static ObjectNode schemaJson(FeatureSchema s) {
        ObjectNode o = NODES.objectNode();
        o.put("name", s.name());
        ArrayNode inputs = o.putArray("inputFields");
        for (FieldRange r : s.ranges()) {
            ObjectNode f = inputs.addObject();
            f.put("name", r.field());
            f.put("min", r.min());
            f.put("max", r.max());
        }
        ArrayNode features = o.putArray("features");
        for (FeatureSpec f : s.features()) {
            ObjectNode n = features.addObject();
            n.put("name", f.name());
            n.put("source", f.source());
            n.put("transform", f.transform().id());
        }
        return o;
    }

    private static ObjectNode networkJson(MLP net) {
        ObjectNode o = NODES.objectNode();
        ArrayNode sizes = o.putArray("sizes");
        for (int s : net.sizes()) {
            sizes.add(s);
        }
        o.put("dropout", net.dropout());
        ArrayNode layers = o.putArray("layers");
        for (DenseLayer d : net.denseLayers()) {
            ObjectNode l = layers.addObject();
            l.put("activation", d.activation().id());
            ArrayNode rows = l.putArray("weights");
            double[] w = d.weights();
            int in = d.inputSize();
            for (int r = 0; r < d.outputSize(); r++) {
                ArrayNode row = rows.addArray();
                for (int c = 0; c < in; c++) {
                    row.add(finite(w[r * in + c], "weight"));
                }
            }
            l.set("biases", doubles(d.biases()));
        }
        return o;
    }

    private static ArrayNode doubles(double[] v) {
        ArrayNode a = NODES.arrayNode(v.length);
        for (double d : v) {
            a.add(finite(d, "value"));
        }
        return a;
    }

    private static double finite(double v, String what) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("refusing to write a model with a non-finite " + what + " (" + v + ")");
        }
        return v;
    }

    // ---- JSON → bundle -------------------------------------------------------------------------------

    private static ModelBundle fromJson(JsonNode m, int formatVersion) {
        FeatureSchema schema = readSchema(need(m, "schema"));
        checkBuiltIn(schema);
        JsonNode pre = need(m, "preprocessing");
        double clip = 0;
        if (formatVersion >= 2 && pre.has("clip")) { // early version-2 files have no clip: none was applied
            clip = number(pre.get("clip"), "preprocessing clip");
            if (clip < 0) {
                throw new ModelFormatException("preprocessing clip must be >= 0 (0 = off), got " + clip);
            }
        }
        List<QuantileMap> quantiles = null;
        if (pre.has("quantiles")) {
            if (formatVersion < QUANTILE_VERSION) { // a reader of that version would ignore them and map inputs wrongly
                throw new ModelFormatException("preprocessing quantiles need format version " + QUANTILE_VERSION
                        + ", the file declares " + formatVersion);
            }
            JsonNode maps = pre.get("quantiles");
            if (!maps.isArray() || maps.size() != schema.featureCount()) {
                throw new ModelFormatException("preprocessing quantiles must be an array of one map per feature ("
                        + schema.featureCount() + "), got " + (maps.isArray() ? maps.size() + " maps" : maps.getNodeType()));
            }
            quantiles = new ArrayList<>();
            for (int j = 0; j < maps.size(); j++) {
                String what = "quantile map of " + schema.features().get(j).name();
                JsonNode map = maps.get(j);
                if (!map.isObject()) {
                    throw new ModelFormatException(what + " must be an object with \"x\" and \"z\"");
                }
                JsonNode xs = need(map, "x");
                if (xs.isArray() && xs.size() > QuantileMap.MAX_KNOTS) {
                    throw new ModelFormatException(what + " has " + xs.size() + " knots, more than "
                            + QuantileMap.MAX_KNOTS);
                }
                double[] x = readDoubles(xs, what + " x");
                double[] z = readDoubles(need(map, "z"), what + " z");
                try {
                    quantiles.add(new QuantileMap(x, z));
                } catch (IllegalArgumentException e) {
                    throw new ModelFormatException(what + ": " + e.getMessage());
                }
            }
        }
        Preprocessing preprocessing = new Preprocessing(schema, quantiles, readDoubles(need(pre, "means"), "means"),
                readDoubles(need(pre, "stds"), "stds"), clip);
        long seed = m.path("seed").asLong(0);
        List<MLP> members = new ArrayList<>();
        if (formatVersion == 1) {
            members.add(readNetwork(need(m, "network"), seed, 0));
        } else {
            String combination = text(m, "combination");
            if (!ModelBundle.COMBINATION.equals(combination)) {
                throw new ModelFormatException("combination \"" + combination + "\" is not known; this build combines "
                        + "members by \"" + ModelBundle.COMBINATION + "\"");
            }
            JsonNode list = array(m, "members");
            if (list.size() < 1 || list.size() > ModelBundle.MAX_MEMBERS) {
                throw new ModelFormatException("a model holds 1 to " + ModelBundle.MAX_MEMBERS + " members, got "
                        + list.size());
            }
            long parameters = 0;
            for (int i = 0; i < list.size(); i++) {
                try {
                    MLP net = readNetwork(list.get(i), seed, parameters);
                    parameters += net.parameterCount();
                    members.add(net);
                } catch (ModelFormatException e) {
                    throw new ModelFormatException("member " + i + ": " + e.getMessage(), e);
                }
            }
            for (int i = 1; i < members.size(); i++) {
                if (members.get(i).inputSize() != members.get(0).inputSize()) {
                    throw new ModelFormatException("member " + i + " takes " + members.get(i).inputSize()
                            + " inputs, member 0 takes " + members.get(0).inputSize());
                }
            }
        }
        JsonNode th = need(m, "threshold");
        ThresholdInfo threshold = new ThresholdInfo(number(need(th, "value"), "threshold"), text(th, "method"));
        Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
        JsonNode mj = m.path("metrics");
        for (Iterator<Map.Entry<String, JsonNode>> it = mj.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> group = it.next();
            Map<String, Double> values = new LinkedHashMap<>();
            group.getValue().fields().forEachRemaining(e -> values.put(e.getKey(),
                    e.getValue().isNull() ? Double.NaN : e.getValue().asDouble())); // null: not defined
            metrics.put(group.getKey(), values);
        }
        return new ModelBundle(text(m, "modelVersion"), Instant.parse(text(m, "createdAt")), schema, preprocessing,
                members, threshold, need(m, "seed").asLong(), metrics, toMap(m.path("hyperparameters")),
                toMap(m.path("provenance")), readMonitoring(m.get("monitoring"), schema), null);
    }

    /** The optional monitoring section (files written before it have none). */
    private static MonitoringReference readMonitoring(JsonNode n, FeatureSchema schema) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw new ModelFormatException("field \"monitoring\" must be an object");
        }
        try {
            JsonNode list = array(n, "features");
            if (list.size() != schema.featureCount()) {
                throw new ModelFormatException("monitoring has " + list.size() + " features, the schema "
                        + schema.featureCount());
            }
            List<MonitoringReference.Bins> features = new ArrayList<>();
            for (JsonNode f : list) {
                features.add(readBins(f));
            }
            JsonNode rows = need(n, "rows");
            if (!rows.isIntegralNumber() || !rows.canConvertToLong()) {
                throw new ModelFormatException("monitoring rows must be a whole number, got " + rows);
            }
            List<MonitoringReference.Range> ranges = null; // files written before ranges were kept have none
            if (n.has("ranges")) {
                ranges = new ArrayList<>();
                if (array(n, "ranges").size() != schema.featureCount()) {
                    throw new ModelFormatException("monitoring has " + n.get("ranges").size() + " feature ranges, the "
                            + "schema " + schema.featureCount() + " features");
                }
                for (JsonNode r : array(n, "ranges")) {
                    if (!r.isArray() || r.size() != 2) {
                        throw new ModelFormatException("a monitoring range must be [min, max], got " + r);
                    }
                    double[] mm = readDoubles(r, "range");
                    ranges.add(new MonitoringReference.Range(mm[0], mm[1]));
                }
            }
            return new MonitoringReference(features, readBins(need(n, "score")),
                    number(need(n, "flagRate"), "monitoring flagRate"), rows.asLong(), text(n, "rowsDescription"),
                    ranges);
        } catch (IllegalArgumentException e) { // a ModelFormatException, or a value the reference refuses
            throw new ModelFormatException("monitoring: " + e.getMessage(), e);
        }
    }

    private static MonitoringReference.Bins readBins(JsonNode b) {
        if (!b.isObject()) {
            throw new ModelFormatException("a binning must be a JSON object");
        }
        JsonNode edges = array(b, "edges");
        if (edges.size() >= MonitoringReference.MAX_BINS) {
            throw new ModelFormatException("binning has " + edges.size() + " edges, over the limit of "
                    + (MonitoringReference.MAX_BINS - 1));
        }
        return new MonitoringReference.Bins(text(b, "name"), readDoubles(edges, "edges"),
                readDoubles(array(b, "expected"), "expected"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> toMap(JsonNode n) {
        return n.isObject() ? MAPPER.convertValue(n, LinkedHashMap.class) : Map.of();
    }

    /**
     * A raw-event schema is computed by this build's feature engine, not from the file's list: a file that names one
     * ({@code handbook-v1}, {@code handbook-v2}) must list exactly that feature set, in its order, or its network
     * would be fed other features than it was trained on.
     */
    private static void checkBuiltIn(FeatureSchema schema) {
        schema.handbookVersion().ifPresent(v -> {
            FeatureSchema builtIn = FeatureSchema.of(v);
            if (!schema.inputFields().equals(builtIn.inputFields()) || !schema.features().equals(builtIn.features())) {
                throw new ModelFormatException("schema \"" + schema.name() + "\" lists other features than this build's "
                        + schema.name() + " (" + String.join(", ", builtIn.featureNames()) + "); its network expects "
                        + String.join(", ", schema.featureNames()));
            }
        });
    }

    private static FeatureSchema readSchema(JsonNode s) {
        List<String> inputs = new ArrayList<>();
        List<FieldRange> ranges = new ArrayList<>();
        for (JsonNode f : array(s, "inputFields")) {
            String name = text(f, "name");
            inputs.add(name);
            ranges.add(new FieldRange(name, number(need(f, "min"), name + ".min"), number(need(f, "max"), name + ".max")));
        }
        List<FeatureSpec> features = new ArrayList<>();
        for (JsonNode f : array(s, "features")) {
            features.add(new FeatureSpec(text(f, "name"), text(f, "source"), Transform.parse(text(f, "transform"))));
        }
        return new FeatureSchema(text(s, "name"), inputs, ranges, features);
    }

    /** One network; {@code parametersBefore} counts the members already read, against the model's limit. */
    private static MLP readNetwork(JsonNode n, long seed, long parametersBefore) {
        if (!n.isObject()) {
            throw new ModelFormatException("a network must be a JSON object");
        }
        JsonNode sizesNode = array(n, "sizes");
        int[] sizes = new int[sizesNode.size()];
        for (int i = 0; i < sizes.length; i++) {
            JsonNode s = sizesNode.get(i);
            if (!s.isIntegralNumber() || !s.canConvertToInt() || s.asInt() < 1) { // 29.7 or "29" is no size
                throw new ModelFormatException("network size " + i + " must be a positive integer, got " + s);
            }
            sizes[i] = s.asInt();
        }
        JsonNode layers = array(n, "layers");
        if (sizes.length < 2 || sizes.length > MAX_LAYERS) {
            throw new ModelFormatException("network must have 2 to " + MAX_LAYERS + " sizes, got " + sizes.length);
        }
        if (sizes[sizes.length - 1] != 1) {
            throw new ModelFormatException("network must end in 1 output (a fraud logit), got "
                    + sizes[sizes.length - 1]);
        }
        if (layers.size() != sizes.length - 1) {
            throw new ModelFormatException("network has " + (sizes.length - 1) + " layers by its sizes but "
                    + layers.size() + " layer entries");
        }
        // Checked layer by layer, before anything is allocated: each layer's count fits a long (sizes are ints), so
        // the running total cannot wrap around past the limit, as one sum over several huge layers could.
        long params = parametersBefore;
        for (int i = 0; i + 1 < sizes.length; i++) {
            params += (long) sizes[i] * sizes[i + 1] + sizes[i + 1];
            if (params > MAX_PARAMETERS) {
                throw new ModelFormatException("model has over " + MAX_PARAMETERS + " parameters (" + params
                        + " by layer " + i + " of " + (sizes.length - 1) + "), over the limit of " + MAX_PARAMETERS);
            }
        }
        List<DenseLayer> dense = new ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            JsonNode layer = layers.get(l);
            int in = sizes[l];
            int out = sizes[l + 1];
            DenseLayer d = new DenseLayer(in, out, activation(text(layer, "activation"), l));
            JsonNode rows = array(layer, "weights");
            if (rows.size() != out) {
                throw new ModelFormatException("layer " + l + " weights have " + rows.size() + " rows, expected " + out);
            }
            double[] w = d.weights();
            for (int r = 0; r < out; r++) {
                JsonNode row = rows.get(r);
                if (!row.isArray() || row.size() != in) {
                    throw new ModelFormatException("layer " + l + " weight row " + r + " has "
                            + (row.isArray() ? row.size() : 0) + " values, expected " + in);
                }
                for (int c = 0; c < in; c++) {
                    w[r * in + c] = number(row.get(c), "layer " + l + " weight");
                }
            }
            double[] b = readDoubles(need(layer, "biases"), "layer " + l + " biases");
            if (b.length != out) {
                throw new ModelFormatException("layer " + l + " has " + b.length + " biases, expected " + out);
            }
            System.arraycopy(b, 0, d.biases(), 0, out);
            dense.add(d);
        }
        if (dense.get(dense.size() - 1).activation() != Activation.LINEAR) {
            throw new ModelFormatException("the last layer must be linear (it outputs a logit)");
        }
        JsonNode dropoutNode = n.get("dropout"); // absent: none; a string read as 0 before
        double dropout = dropoutNode == null ? 0 : number(dropoutNode, "dropout");
        return MLP.of(dense, dropout, seed);
    }

    private static JsonNode need(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new ModelFormatException("missing field \"" + field + "\"");
        }
        return v;
    }

    private static JsonNode array(JsonNode n, String field) {
        JsonNode v = need(n, field);
        if (!v.isArray()) {
            throw new ModelFormatException("field \"" + field + "\" must be an array");
        }
        return v;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = need(n, field);
        if (!v.isTextual()) {
            throw new ModelFormatException("field \"" + field + "\" must be a string");
        }
        return v.asText();
    }

    private static double number(JsonNode v, String what) {
        if (v == null || !v.isNumber()) {
            throw new ModelFormatException(what + " must be a number, got " + v);
        }
        double d = v.asDouble();
        if (!Double.isFinite(d)) {
            throw new ModelFormatException(what + " is not finite (" + v + ")");
        }
        return d;
    }

    private static double[] readDoubles(JsonNode a, String what) {
        if (!a.isArray()) {
            throw new ModelFormatException(what + " must be an array");
        }
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = number(a.get(i), what + "[" + i + "]");
        }
        return out;
    }

    // ---- checksum ------------------------------------------------------------------------------------

    /** SHA-256 (hex) of the canonical JSON of a node: object keys sorted, compact, shortest round-trip numbers. */
    static String sha256(JsonNode node) {
        return sha256(canonical(node));
    }

    /** The canonical JSON of a node (what the checksum and the signature cover). */
    static byte[] canonical(JsonNode node) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(32 * 1024);
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(buf)) {
            writeCanonical(node, g);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return buf.toByteArray();
    }

    private static String sha256(byte[] canonical) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    private static void writeCanonical(JsonNode n, JsonGenerator g) throws IOException {
        if (n.isObject()) {
            g.writeStartObject();
            TreeMap<String, JsonNode> sorted = new TreeMap<>();
            n.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue()));
            for (Map.Entry<String, JsonNode> e : sorted.entrySet()) {
                g.writeFieldName(e.getKey());
                writeCanonical(e.getValue(), g);
            }
            g.writeEndObject();
        } else if (n.isArray()) {
            g.writeStartArray();
            for (JsonNode c : n) {
                writeCanonical(c, g);
            }
            g.writeEndArray();
        } else if (n.isIntegralNumber()) {
            g.writeNumber(n.bigIntegerValue());
        } else if (n.isNumber()) {
            // Double.toString is the shortest decimal that round-trips, so parse → write reproduces the text hashed.
            g.writeRawValue(Double.toString(n.doubleValue()));
        } else if (n.isTextual()) {
            g.writeString(n.textValue());
        } else if (n.isBoolean()) {
            g.writeBoolean(n.booleanValue());
        } else {
            g.writeNull();
        }
    }
}
