package org.fraudscorer.app.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The console's HTTP side, on the JDK's {@code com.sun.net.httpserver}: the page (static resources), a Server-Sent
 * Events stream of alerts, verdicts and figures, and the one write, {@code POST /api/verdicts}.
 *
 * <h2>Safety</h2>
 * <ul>
 *   <li>Bound to 127.0.0.1 unless told otherwise; then a token is required (checked by the caller, {@link ConsoleConfig}).</li>
 *   <li>On loopback, the {@code Host} header must name loopback (a DNS-rebinding page cannot read the stream), or one
 *       of the names given for a proxy in front ({@link ConsoleConfig#hostNames()}, which then takes a token).</li>
 *   <li>A write is a POST with {@code Content-Type: application/json} and the custom header
 *       {@code X-Fraud-Console: 1} (a cross-site form or a simple request cannot set either, and no CORS preflight is
 *       ever answered); a browser's {@code Origin} must be this server's; with a token configured,
 *       {@code X-Console-Token} must equal it (compared in constant time).</li>
 *   <li>Every response forbids framing and inline scripts (Content-Security-Policy); the page renders every event
 *       field with {@code textContent}.</li>
 *   <li>Bounded: request bodies of 4 KiB, {@value #MAX_STREAMS} streams, each with a queue of {@value #STREAM_QUEUE}
 *       messages and {@value #MAX_QUEUED_CHARS} characters (a client too slow to keep up loses its stream and its
 *       place at once; its page reconnects and reloads the snapshot). The JDK server has no write timeout: a client
 *       that stops reading keeps a thread blocked in its write; beyond loopback, put a reverse proxy with timeouts in
 *       front. Requests are cut after {@code sun.net.httpserver.maxReqTime}, which {@code FraudCli} sets.</li>
 * </ul>
 */
final class ConsoleServer implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ConsoleServer.class);
    static final int MAX_STREAMS = 32;
    static final int STREAM_QUEUE = 2_000;
    /** The characters a stream may have queued (about 16 MB at most): 2,000 large alerts held 120 MB per stream. */
    static final long MAX_QUEUED_CHARS = 8_000_000;
    /** Stream writers alive at once, those of streams that lost their place included. */
    static final int MAX_WRITERS = 2 * MAX_STREAMS;
    private static final int MAX_BODY = 4096;
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final Map<String, String> RESOURCES = Map.of(
            "/", "index.html", "/index.html", "index.html", "/console.js", "console.js", "/console.css", "console.css");

    private final ConsoleConfig config;
    private final AlertBuffer buffer;
    private final LabelWriter labels;
    private final ScorerMetricsReader scorer;
    private final LongSupplier clock;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService pool;
    private final Set<BlockingQueue<String>> streams = new CopyOnWriteArraySet<>();
    /**
     * The places of open streams, taken before a stream is answered and given back when its writer ends: a client
     * that saw its 200 holds one, so the next over the limit is refused however the requests interleave.
     */
    private final Semaphore streamPlaces = new Semaphore(MAX_STREAMS);
    private final java.util.concurrent.atomic.AtomicInteger writers = new java.util.concurrent.atomic.AtomicInteger();
    /** The characters each stream has queued and not yet written: bounded as the count of messages is. */
    private final java.util.Map<BlockingQueue<String>, java.util.concurrent.atomic.AtomicLong> queuedChars =
            new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean closed;
    /** Whether the cluster answers (set once the console watches it); null: not watched. */
    private volatile org.fraudscorer.scorer.app.BrokerWatch kafka;
    /**
     * Whether the flagged topic is missing, written by the alert reader only: the page says so (it read "live" with no
     * alert able to come, when the console's --flagged-topic was not the scorer's; found in a helper session).
     */
    final TopicAbsence flaggedTopic;
    /**
     * Whether the labels topic is missing, written by the label reader only: the page says so, and a verdict is
     * refused at once instead of sent. Sent, it made the producer create the topic with the broker's defaults on a
     * broker that creates topics on demand (a mistyped --labels-topic took every verdict where nothing reads it), and
     * on one that does not it waited 15 s for "Kafka did not answer in time" (a hunt).
     */
    final TopicAbsence labelsTopic;
    /** Tells a reconnecting page whether this is the server it knew (alert numbers restart with the server). */
    private final String instance = java.util.UUID.randomUUID().toString();

    ConsoleServer(ConsoleConfig config, AlertBuffer buffer, LabelWriter labels, ScorerMetricsReader scorer,
                  LongSupplier clock) throws IOException {
        this.config = config;
        this.buffer = buffer;
        this.labels = labels;
        this.scorer = scorer;
        this.clock = clock;
        this.flaggedTopic = new TopicAbsence(config.flaggedTopic());
        this.labelsTopic = new TopicAbsence(config.labelsTopic());
        try {
            this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(config.host()),
                    config.port()), 64);
        } catch (java.net.BindException e) { // "Address already in use", without saying which
            throw new java.net.BindException("cannot listen on " + config.host() + ":" + config.port() + " ("
                    + e.getMessage() + "): choose another --console-port, or 0 for any free one");
        }
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "console-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Shows on the page whether the cluster answers, as {@code watch} sees it. */
    void watch(org.fraudscorer.scorer.app.BrokerWatch watch) {
        this.kafka = watch;
    }

    /** Since when a topic the console reads is known not to exist, for the page; written by one reader thread. */
    static final class TopicAbsence {
        private final String name;
        private volatile long sinceMs = -1;

        TopicAbsence(String name) {
            this.name = name;
        }

        /** The topic does not exist as of {@code nowMs}; whether this is news. */
        boolean missing(long nowMs) {
            if (sinceMs >= 0) {
                return false;
            }
            sinceMs = nowMs;
            return true;
        }

        /** The topic exists (its partitions are read); whether it had been missing. */
        boolean found() {
            boolean was = sinceMs >= 0;
            sinceMs = -1;
            return was;
        }

        boolean isMissing() {
            return sinceMs >= 0;
        }

        /** {@code field: {name, exists, missingSinceMs when missing}} in {@code state}. */
        void put(ObjectNode state, String field) {
            long since = sinceMs;
            ObjectNode t = state.putObject(field);
            t.put("name", name);
            t.put("exists", since < 0);
            if (since >= 0) {
                t.put("missingSinceMs", since);
            }
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    // ---------------------------------------------------------------- broadcast

    /** Sends one named SSE event with a JSON payload to every open stream. */
    void broadcast(String event, JsonNode data) {
        String message = sse(event, data);
        for (BlockingQueue<String> q : streams) {
            java.util.concurrent.atomic.AtomicLong held = queuedChars.get(q);
            boolean fits = held != null && held.get() + message.length() <= MAX_QUEUED_CHARS;
            if (fits && q.offer(message)) {
                held.addAndGet(message.length());
            } else if (streams.remove(q)) {
                // too slow: its writer sees the removal and closes the connection. Its place is given back now, not
                // when the writer ends: a client that stopped reading blocks its writer in a socket write with no
                // timeout, and 32 of them locked every analyst out (found by a helper session)
                streamPlaces.release();
                queuedChars.remove(q);
                q.clear();
                q.offer("");
            }
        }
    }

    /** Stream places free now (tests). */
    int freeStreamPlaces() {
        return streamPlaces.availablePermits();
    }

    void alert(Alert a) {
        broadcast("alert", alertJson(a));
    }

    void stats() {
        broadcast("stats", statsJson());
    }

    private static String sse(String event, JsonNode data) {
        // JSON written by Jackson has no raw newlines, so one data line holds it.
        return "event: " + event + "\ndata: " + data + "\n\n";
    }

    // ---------------------------------------------------------------- requests

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            Headers out = ex.getResponseHeaders();
            out.set("Content-Security-Policy", CSP);
            out.set("X-Content-Type-Options", "nosniff");
            out.set("X-Frame-Options", "DENY");
            out.set("Referrer-Policy", "no-referrer");
            out.set("Cache-Control", "no-store");
            if (!hostAllowed(ex.getRequestHeaders().getFirst("Host"))) {
                send(ex, 421, "text/plain", config.loopback() && config.hostNames().isEmpty()
                        ? "this console answers only on its loopback address\n" : "this console answers to its "
                        + (config.loopback() ? "loopback" : "IP") + " address and the names given with "
                        + "--console-host-names\n");
                return;
            }
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            if (path.equals("/api/verdicts")) {
                if (!method.equals("POST")) {
                    out.set("Allow", "POST");
                    send(ex, 405, "text/plain", "POST only\n");
                    return;
                }
                verdict(ex);
                return;
            }
            if (!method.equals("GET") && !method.equals("HEAD")) {
                out.set("Allow", "GET, HEAD");
                send(ex, 405, "text/plain", "GET only\n");
                return;
            }
            if (path.equals("/events")) {
                stream(ex);
            } else if (path.equals("/api/state")) {
                sendJson(ex, 200, state());
            } else if (RESOURCES.containsKey(path)) {
                resource(ex, RESOURCES.get(path));
            } else {
                send(ex, 404, "text/plain", "not found\n");
            }
        } catch (IOException e) {
            // the client went away
        } catch (RuntimeException e) {
            LOG.warn("console request {} failed", ex.getRequestURI().getPath(), e);
        }
    }

    /**
     * Whether the {@code Host} header names this console. On loopback: the loopback names only. Beyond it: an IP
     * address (IPv4, or IPv6 in brackets), or a name the operator listed ({@link ConsoleConfig#hostNames()}). A name
     * nobody listed is refused: DNS rebinding makes a page of another site resolve its own name to this console's
     * address and read it as same-origin, and its name is what gives it away.
     */
    boolean hostAllowed(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        int colon = h.lastIndexOf(':');
        String name = colon > 0 && !h.endsWith("]") ? h.substring(0, colon) : h;
        if (config.loopback()) { // the usual loopback names, and the address it was bound to (127.0.0.2, say)
            String bound = config.host().toLowerCase(Locale.ROOT);
            // and the names a proxy on this machine passes on (TLS in front): they were refused, or with the Host
            // rewritten to loopback every verdict was refused as cross-origin (a hunt)
            return name.equals("127.0.0.1") || name.equals("localhost") || name.equals("[::1]") || name.equals(bound)
                    || name.equals("[" + bound + "]") || config.hostNames().contains(name);
        }
        return IPV4.matcher(name).matches() || (name.startsWith("[") && name.endsWith("]") && name.length() > 2
                && name.substring(1, name.length() - 1).matches("[0-9a-f:.]+")) || config.hostNames().contains(name);
    }

    private static final java.util.regex.Pattern IPV4 = java.util.regex.Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    private void verdict(HttpExchange ex) throws IOException {
        Headers in = ex.getRequestHeaders();
        String refused = writeRefusal(in);
        if (refused != null) {
            sendJson(ex, 403, error(refused));
            return;
        }
        byte[] body = readBody(ex.getRequestBody());
        if (body == null) {
            sendJson(ex, 413, error("body larger than " + MAX_BODY + " bytes"));
            return;
        }
        String id;
        long seq;
        Verdict.Action action;
        String reviewer;
        try {
            JsonNode n = json.readTree(body);
            if (n == null || !n.path("id").isTextual() || !n.path("action").isTextual()
                    || !(n.path("seq").isMissingNode() || n.path("seq").canConvertToLong())) {
                throw new IllegalArgumentException("expected {\"id\":…,\"seq\":…,\"action\":…,\"reviewer\":…}");
            }
            id = n.get("id").asText();
            seq = n.path("seq").isMissingNode() ? -1 : n.get("seq").asLong();
            action = Verdict.Action.parse(n.get("action").asText());
            reviewer = Verdict.reviewerName(n.path("reviewer").asText(""));
        } catch (IOException | IllegalArgumentException e) {
            sendJson(ex, 400, error(e instanceof IOException ? "body is not JSON" : e.getMessage()));
            return;
        }
        // The page names the alert by its arrival number too: a later alert with the same id is another payment.
        Alert alert = (seq >= 0 ? buffer.find(seq, id) : buffer.find(id)).orElse(null);
        if (alert == null) {
            sendJson(ex, 404, error(seq >= 0 ? "no alert " + seq + " with this id in the console's buffer"
                    : "no alert with this id in the console's buffer"));
            return;
        }
        if (labelsTopic.isMissing()) {
            sendJson(ex, 503, error("topic " + config.labelsTopic() + " does not exist, so the verdict is not saved: "
                    + "the console does not create it (the scorer does; is the console's --labels-topic the "
                    + "scorer's?); give the verdict again once it exists"));
            return;
        }
        LabelWriter.Result r;
        try {
            r = labels.write(alert, action, reviewer);
        } catch (LabelWriter.LabelException e) {
            sendJson(ex, 503, error(e.getMessage()));
            return;
        }
        if (r.written()) {
            buffer.verdict(r.verdict(), alert.probability());
        }
        ObjectNode reply = verdictJson(r.verdict());
        reply.put("written", r.written());
        sendJson(ex, r.written() ? 201 : 200, reply);
        if (r.written()) {
            broadcast("verdict", verdictJson(r.verdict()));
            stats();
        }
    }

    /** Why a write is refused, or null if it may go ahead. */
    String writeRefusal(Headers in) {
        String type = in.getFirst("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            return "Content-Type must be application/json";
        }
        if (!"1".equals(in.getFirst("X-Fraud-Console"))) {
            return "missing X-Fraud-Console header";
        }
        String origin = in.getFirst("Origin");
        String host = in.getFirst("Host");
        if (origin != null && !origin.equalsIgnoreCase("http://" + host) && !origin.equalsIgnoreCase("https://" + host)) {
            return "cross-origin write refused";
        }
        String site = in.getFirst("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            return "cross-site write refused";
        }
        if (config.token() != null) {
            String given = in.getFirst("X-Console-Token");
            if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                    config.token().getBytes(StandardCharsets.UTF_8))) {
                return "a valid console token is required to write";
            }
        }
        return null;
    }

    private void stream(HttpExchange ex) throws IOException {
        // the writers still running, places given back or not: one blocked in a write to a client that stopped reading
        // keeps its thread (no write timeout), so they are bounded too, or such clients could pile threads up
        if (writers.incrementAndGet() > MAX_WRITERS) {
            writers.decrementAndGet();
            send(ex, 503, "text/plain", "too many open streams\n");
            return;
        }
        try {
            streamFor(ex);
        } finally {
            writers.decrementAndGet();
        }
    }

    private void streamFor(HttpExchange ex) throws IOException {
        if (!streamPlaces.tryAcquire()) {
            send(ex, 503, "text/plain", "too many open streams\n");
            return;
        }
        BlockingQueue<String> q = new ArrayBlockingQueue<>(STREAM_QUEUE);
        java.util.concurrent.atomic.AtomicLong queued = new java.util.concurrent.atomic.AtomicLong();
        queuedChars.put(q, queued);
        // Subscribe before taking the snapshot, so no alert falls between them (the page drops repeats by seq).
        streams.add(q);
        try {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            ex.sendResponseHeaders(200, 0);
            OutputStream os = ex.getResponseBody();
            os.write(("retry: 2000\n\n" + sse("snapshot", state())).getBytes(StandardCharsets.UTF_8));
            os.flush();
            while (!closed && streams.contains(q)) {
                String m = q.poll(15, TimeUnit.SECONDS);
                if (m == null) {
                    m = ": keep-alive\n\n";
                } else if (m.isEmpty()) {
                    break;
                } else {
                    queued.addAndGet(-m.length());
                }
                os.write(m.getBytes(StandardCharsets.UTF_8));
                os.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (streams.remove(q)) { // else the broadcast gave its place back when it dropped it
                streamPlaces.release();
            }
            queuedChars.remove(q);
        }
    }

    private void resource(HttpExchange ex, String name) throws IOException {
        try (InputStream in = ConsoleServer.class.getResourceAsStream("/console/" + name)) {
            if (in == null) {
                send(ex, 404, "text/plain", "missing resource\n");
                return;
            }
            String type = name.endsWith(".html") ? "text/html; charset=utf-8"
                    : name.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
            byte[] body = in.readAllBytes();
            ex.getResponseHeaders().set("Content-Type", type);
            ex.sendResponseHeaders(200, ex.getRequestMethod().equals("HEAD") ? -1 : body.length);
            if (!ex.getRequestMethod().equals("HEAD")) {
                ex.getResponseBody().write(body);
            }
        }
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] b = in.readNBytes(MAX_BODY + 1);
        return b.length > MAX_BODY ? null : b;
    }

    // ---------------------------------------------------------------- JSON views

    ObjectNode state() {
        ObjectNode s = json.createObjectNode();
        s.put("instance", instance);
        s.put("maxAlerts", buffer.capacity());
        s.put("tokenRequired", config.token() != null);
        s.put("flaggedTopic", config.flaggedTopic());
        s.put("labelsTopic", config.labelsTopic());
        ArrayNode list = s.putArray("alerts");
        for (Alert a : buffer.snapshot()) {
            list.add(alertJson(a));
        }
        s.set("stats", statsJson());
        return s;
    }

    ObjectNode alertJson(Alert a) {
        ObjectNode n = json.createObjectNode();
        n.put("seq", a.seq());
        n.put("id", a.id());
        n.put("format", a.family().name());
        n.put("scoredAtMs", a.scoredAtMs());
        n.put("eventTime", a.eventTime());
        n.put("card", a.card());
        n.put("terminal", a.terminal());
        number(n, "amount", a.amount());
        number(n, "probability", a.probability());
        number(n, "threshold", a.threshold());
        n.put("modelVersion", a.modelVersion());
        ArrayNode top = n.putArray("topFeatures");
        for (Alert.Contribution c : a.topFeatures()) {
            ObjectNode f = top.addObject();
            f.put("feature", c.feature());
            number(f, "contribution", c.contribution());
        }
        ArrayNode v = n.putArray("verdicts");
        for (Verdict x : buffer.verdicts(a.id())) {
            v.add(verdictJson(x));
        }
        return n;
    }

    ObjectNode verdictJson(Verdict v) {
        ObjectNode n = json.createObjectNode();
        n.put("id", v.alertId());
        n.put("action", v.action().wire());
        n.put("reviewer", v.reviewer());
        n.put("atMs", v.atMs());
        return n;
    }

    ObjectNode statsJson() {
        AlertBuffer.Stats st = buffer.stats(clock.getAsLong());
        ObjectNode n = json.createObjectNode();
        n.put("received", st.received());
        n.put("held", st.held());
        n.put("alertsPerMinute", st.lastMinute());
        n.put("malformed", st.malformed());
        n.put("lastMalformedReason", st.lastMalformedReason());
        n.put("reviewed", st.reviewed());
        n.put("confirmed", st.confirmed());
        number(n, "precision", st.precision());
        ArrayNode pr = n.putArray("prCurve");
        for (double[] p : st.prCurve()) {
            pr.addArray().add(p[0]).add(p[1]).add(p[2]);
        }
        String incomplete = labels.historyIncomplete();
        ObjectNode history = n.putObject("verdictHistory");
        history.put("complete", incomplete == null);
        history.put("reason", incomplete);
        // the page's stream is to this console, which stays up while the cluster is gone: without this it read
        // "live" while no alert could come and every click waited 15 s for its 503 (found in a helper session)
        org.fraudscorer.scorer.app.BrokerWatch watch = kafka;
        java.time.Instant silent = watch == null ? null : watch.unreachableSince();
        ObjectNode k = n.putObject("kafka");
        k.put("reachable", silent == null);
        if (silent != null) {
            k.put("unreachableSinceMs", silent.toEpochMilli());
            k.put("reason", watch.lastReason());
        }
        flaggedTopic.put(n, "flaggedTopic");
        labelsTopic.put(n, "labelsTopic");
        ObjectNode sc = n.putObject("scorer");
        if (scorer == null) {
            sc.put("configured", false);
        } else {
            ScorerMetricsReader.Figures f = scorer.latest();
            sc.put("configured", true);
            sc.put("url", scorer.url().toString());
            sc.put("ok", f.ok());
            sc.put("error", f.error());
            number(sc, "eventsPerSecond", f.eventsPerSecond());
            number(sc, "flagRate", f.flagRate());
            number(sc, "latencyP99Ms", f.latencyP99Ms());
            sc.put("modelVersion", f.modelVersion());
        }
        return n;
    }

    private static void number(ObjectNode n, String field, double v) {
        if (Double.isFinite(v)) {
            n.put(field, v);
        } else {
            n.putNull(field);
        }
    }

    private ObjectNode error(String message) {
        ObjectNode n = json.createObjectNode();
        n.put("error", message);
        return n;
    }

    private void sendJson(HttpExchange ex, int status, JsonNode body) throws IOException {
        send(ex, status, "application/json; charset=utf-8", body.toString());
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] b = ex.getRequestMethod().equals("HEAD") ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            ex.getResponseBody().write(b);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (BlockingQueue<String> q : streams) {
            q.offer("");
        }
        streams.clear();
        server.stop(0);
        pool.shutdownNow();
    }
}
