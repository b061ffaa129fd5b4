package org.fraudscorer.devkafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single-node Apache Kafka (KRaft, combined broker and controller) running inside this JVM, for tests and for
 * the {@code ./fraud broker} and {@code ./fraud demo} commands on machines without Docker.
 *
 * <p>This is the <b>only</b> class that touches Kafka's internal server classes ({@link KafkaRaftServer},
 * {@link KafkaConfig}, {@link Formatter}, {@link MetadataVersion}). They are not a public API and change between
 * releases; keeping them here means a Kafka upgrade touches one file. Everything else talks to the broker through
 * {@link #bootstrapServers()} and the public client APIs.
 *
 * <p>Single-node settings: every internal topic (consumer offsets, transaction state, share-group state) has
 * replication factor 1 and min.isr 1, so transactions and Kafka Streams {@code exactly_once_v2} work on one node.
 * Listeners bind to {@code localhost} only. Topic auto-creation keeps Kafka's default (on); prefer creating topics
 * with the scorer's {@code KafkaTopics.createAndAwait}, which waits until the partitions accept writes (this module
 * does not depend on the scorer, whose tests depend on it).
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(Path.of("data/kafka"), 9092)) {
 *     KafkaTopics.createAndAwait(broker.bootstrapServers(), "transactions", 3, Map.of());
 *     ... clients with bootstrap.servers = broker.bootstrapServers() ...
 * }
 * }</pre>
 *
 * <p>{@link #restart()} is a clean stop (controlled shutdown, logs flushed) followed by a start on the same ports and
 * directory; it does not simulate a crash. Several brokers may run in one JVM (each with its own directory).
 *
 * <p>Thread-safe: lifecycle methods are synchronized.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final int NODE_ID = 1;
    /** The secured broker's own user, a super user (its listeners' inter-node connections authenticate as it). */
    public static final String BROKER_USER = "broker";
    private static final String SCRAM = "SCRAM-SHA-512";
    private static final String BROKER_PASSWORD = "broker-secret";
    private static final String HOST = "localhost";
    private static final int MAX_START_ATTEMPTS = 5;
    /** What {@link #start(Path, int, Map)} does not let a caller override: the node's identity and addresses. */
    private static final Set<String> FIXED = Set.of("process.roles", "node.id",
            "controller.quorum.voters", "listeners", "advertised.listeners", "controller.listener.names",
            "inter.broker.listener.name", "listener.security.protocol.map", "log.dirs", "metadata.log.dir");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    /** How long {@link #restart()} retries binding the same ports (a port may still be held briefly). */
    private static final Duration REBIND_TIMEOUT = Duration.ofSeconds(15);
    /**
     * Partitions of the internal topics (offsets, transaction state, share state). Kafka's default of 50 means 50
     * partitions created and loaded when the first group or transaction appears; on one node 5 is plenty.
     */
    private static final String INTERNAL_TOPIC_PARTITIONS = "5";

    private final Path logDir;
    private final int port;
    private final int controllerPort;
    private final Map<String, String> overrides;
    /** Users and passwords of a secured broker ({@link #startSecured}), or null for a plaintext one. */
    private final Map<String, String> users;
    /** The TLS material of a secured broker whose client listener is {@code SASL_SSL} or {@code SSL}, or null. */
    private final BrokerTls tls;
    /** Clients are known by their certificates alone ({@link #startMutualTls}): the listeners speak {@code SSL}. */
    private final boolean mutualTls;
    private KafkaRaftServer server;
    private boolean closed;
    /** The log directories of the brokers running in this JVM ({@link #refuseInUse}). */
    private static final java.util.Set<Path> RUNNING_DIRS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private EmbeddedKafkaBroker(Path logDir, int port, int controllerPort, Map<String, String> overrides,
                                Map<String, String> users, BrokerTls tls, boolean mutualTls) {
        this.logDir = logDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.overrides = overrides;
        this.users = users;
        this.tls = tls;
        this.mutualTls = mutualTls;
    }

    /**
     * Formats {@code logDir} if it holds no {@code meta.properties} yet (so a persistent directory is reused as
     * is), starts the broker and returns once it has registered and answers client requests.
     *
     * @param port client port; 0 picks free ports (the controller port is always picked), retrying on a bind race
     */
    public static EmbeddedKafkaBroker start(Path logDir, int port) {
        return start(logDir, port, Map.of());
    }

    /**
     * As {@link #start(Path, int)}, with broker properties on top of this class's (a benchmark's broker settings,
     * e.g. {@code add.partitions.to.txn.retry.backoff.ms}). The node's identity and listeners cannot be overridden.
     *
     * @throws IllegalArgumentException if an override names {@code node.id}, {@code process.roles}, a listener or a
     *                                  log directory
     */
    public static EmbeddedKafkaBroker start(Path logDir, int port, Map<String, String> overrides) {
        return start(logDir, port, overrides, null, null, false);
    }

    /**
     * A broker as a bank's cluster is: every client authenticates (SASL over {@code SASL_PLAINTEXT}: PLAIN, or
     * SCRAM-SHA-512 with {@link #scramClientProperties}, each user having both) and is
     * authorised by ACLs (KRaft's {@code StandardAuthorizer}, nothing allowed without an ACL). The node itself, on its
     * client and controller listeners alike, is the super user {@value #BROKER_USER}; create the clients' ACLs with
     * an admin client on {@link #clientProperties(String, String) clientProperties}({@value #BROKER_USER},
     * {@link #brokerPassword()}). For tests of what a secured cluster asks of each command.
     *
     * @param users the client users and their passwords (not {@value #BROKER_USER})
     */
    public static EmbeddedKafkaBroker startSecured(Path logDir, Map<String, String> users) {
        return startSecured(logDir, users, null);
    }

    /**
     * As {@link #startSecured(Path, Map)}, with the client listener on TLS ({@code SASL_SSL}, the broker's certificate
     * from {@code tls}) when {@code tls} is not null: a cluster as most banks run one. The controller listener stays
     * {@code SASL_PLAINTEXT} (only the node itself connects to it).
     */
    public static EmbeddedKafkaBroker startSecured(Path logDir, Map<String, String> users, BrokerTls tls) {
        if (users.containsKey(BROKER_USER)) {
            throw new IllegalArgumentException("user " + BROKER_USER + " is the broker's own");
        }
        for (Map.Entry<String, String> u : users.entrySet()) {
            if (!u.getKey().matches("[A-Za-z0-9._-]+") || !u.getValue().matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("user names and passwords are [A-Za-z0-9._-]+: " + u.getKey());
            }
        }
        Map<String, String> all = new java.util.TreeMap<>(users);
        all.put(BROKER_USER, BROKER_PASSWORD);
        return start(logDir, 0, Map.of(), Map.copyOf(all), tls, false);
    }

    /**
     * A broker whose clients are known by their TLS certificates alone (mutual TLS): both listeners speak {@code SSL}
     * and require a client certificate signed by {@code tls}'s authority ({@link BrokerTls#clientKeyStore}); a
     * certificate's {@code CN} is its principal ({@code ssl.principal.mapping.rules}), and ACLs authorise it as for
     * {@link #startSecured}. The node itself is {@value #BROKER_USER}, by its own certificate.
     */
    public static EmbeddedKafkaBroker startMutualTls(Path logDir, BrokerTls tls) {
        return start(logDir, 0, Map.of(), null, java.util.Objects.requireNonNull(tls), true);
    }

    /**
     * The client settings of a user of this {@link #startSecured secured} broker: the protocol, the SASL login and,
     * on TLS, the trust store (bootstrap servers not included).
     */
    public Map<String, String> clientProperties(String user, String password) {
        return sasl("PLAIN", plainLogin(user, password));
    }

    /** As {@link #clientProperties}, logging in with SCRAM-SHA-512 instead of PLAIN (the user's same password). */
    public Map<String, String> scramClientProperties(String user, String password) {
        return sasl(SCRAM, "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";");
    }

    private Map<String, String> sasl(String mechanism, String jaas) {
        if (users == null) {
            throw new IllegalStateException("not a SASL broker: " + this);
        }
        Map<String, String> p = new java.util.HashMap<>(Map.of("security.protocol", clientProtocol(),
                "sasl.mechanism", mechanism, "sasl.jaas.config", jaas));
        if (tls != null) {
            p.putAll(tls.clientProperties());
        }
        return Map.copyOf(p);
    }

    /**
     * The settings of the broker's own super user {@value #BROKER_USER} (for a test's admin client creating topics and
     * ACLs): its password, or on {@link #startMutualTls mutual TLS} its certificate; none on a plaintext broker.
     */
    public Map<String, String> superUserProperties() {
        if (users != null) {
            return clientProperties(BROKER_USER, BROKER_PASSWORD);
        }
        if (mutualTls) {
            Map<String, String> p = new java.util.HashMap<>(tls.brokerProperties());
            p.put("security.protocol", "SSL");
            return Map.copyOf(p);
        }
        return Map.of();
    }

    /** The password of {@value #BROKER_USER}, the secured broker's super user. */
    public static String brokerPassword() {
        return BROKER_PASSWORD;
    }

    private static EmbeddedKafkaBroker start(Path logDir, int port, Map<String, String> overrides,
                                             Map<String, String> users, BrokerTls tls, boolean mutualTls) {
        for (String key : overrides.keySet()) {
            if (!isOverridable(key)) {
                throw new IllegalArgumentException("broker property " + key + " is set by the embedded broker itself");
            }
        }
        Map<String, String> given = Map.copyOf(overrides);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not a TCP port (0 to 65535; 0 picks a free one)");
        }
        if (port != 0 && !isFree(port)) {
            // Fail fast: retrying would start and stop the controller for nothing each time.
            throw new IllegalStateException("port " + port + " on " + HOST + " is already in use");
        }
        Path dir = logDir.toAbsolutePath();
        refuseInUse(dir);
        formatIfNeeded(dir);
        RuntimeException last = null;
        for (int attempt = 1; attempt <= MAX_START_ATTEMPTS; attempt++) {
            // A port found free here may be taken before the broker binds it: retry with fresh ports.
            // Both free ports are found with both sockets open, so they differ: found one after the other, the OS
            // may hand out the same port twice and the broker refuses two listeners on one port.
            int[] free = freePorts(2);
            int brokerPort = port == 0 ? free[0] : port;
            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir, brokerPort,
                    free[1] != brokerPort ? free[1] : free[0], given, users, tls, mutualTls);
            try {
                broker.startServer();
                return broker;
            } catch (RuntimeException e) {
                if (!isBindFailure(e)) {
                    throw e;
                }
                last = e;
            }
        }
        throw new IllegalStateException("could not bind the broker ports in " + MAX_START_ATTEMPTS + " attempts", last);
    }

    /** Whether {@link #start(Path, int, Map)} accepts an override of {@code key}: not the node's identity or ports. */
    public static boolean isOverridable(String key) {
        return !FIXED.contains(key);
    }

    /** {@code localhost:<port>}, for {@code bootstrap.servers}. Stays valid across {@link #restart()}. */
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    public Path logDir() {
        return logDir;
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /**
     * Stops the broker (controlled shutdown, then waits for it). Data stays in {@link #logDir()}; {@link #restart()}
     * brings it back. No-op if already stopped.
     */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        KafkaRaftServer s = server;
        server = null;
        s.shutdown();
        s.awaitShutdown();
        RUNNING_DIRS.remove(logDir);
    }

    /**
     * Stops the broker if running and starts it again on the same ports and log directory, so clients keep their
     * bootstrap address and reconnect on their own. For fault tests.
     */
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException("broker is closed");
        }
        stop();
        long deadline = System.nanoTime() + REBIND_TIMEOUT.toNanos();
        while (true) {
            try {
                startServer();
                return;
            } catch (RuntimeException e) {
                if (!isBindFailure(e) || System.nanoTime() > deadline) {
                    throw e;
                }
                sleep(200);
            }
        }
    }

    /** Stops the broker for good. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        stop();
    }

    @Override
    public String toString() {
        return "EmbeddedKafkaBroker[" + bootstrapServers() + ", " + logDir + "]";
    }

    private synchronized void startServer() {
        if (closed) {
            throw new IllegalStateException("broker is closed");
        }
        KafkaRaftServer s = new KafkaRaftServer(new KafkaConfig(brokerConfig(), false), Time.SYSTEM);
        try {
            s.startup();
            awaitRegistered();
        } catch (RuntimeException | Error e) {
            // startup() may fail halfway (e.g. the broker cannot bind after the controller did): stop what runs.
            try {
                s.shutdown();
                s.awaitShutdown();
            } catch (RuntimeException | Error suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        server = s;
        RUNNING_DIRS.add(logDir);
    }

    private Properties brokerConfig() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        // Static quorum of one voter: nothing about the controller address is written at format time, so the
        // controller port may differ from run to run on a persistent directory.
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        String client = clientProtocol();
        String controller = mutualTls ? "SSL" : users == null ? "PLAINTEXT" : "SASL_PLAINTEXT";
        p.put("listeners", client + "://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", client + "://" + HOST + ":" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", client);
        p.put("listener.security.protocol.map", client + ":" + client + ",CONTROLLER:" + controller);
        if (users != null) {
            secure(p);
        } else if (mutualTls) {
            p.putAll(tls.brokerProperties());
            p.put("ssl.client.auth", "required");
            // the certificate's CN is the principal (User:scorer), as many banks map it; anything else stays the DN
            p.put("ssl.principal.mapping.rules", "RULE:^CN=([A-Za-z0-9._-]+)$/$1/,DEFAULT");
            authorise(p);
        }
        p.put("log.dirs", logDir.toString());
        p.put("metadata.log.dir", logDir.toString());
        // One node: every internal topic with one replica, or groups and transactions never become available.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", INTERNAL_TOPIC_PARTITIONS);
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", INTERNAL_TOPIC_PARTITIONS);
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("share.coordinator.state.topic.num.partitions", INTERNAL_TOPIC_PARTITIONS);
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        // No 3 s wait for more members before the first rebalance: consumers and Streams start at once.
        p.put("group.initial.rebalance.delay.ms", "0");
        // The default dedupe buffer is 128 MiB of heap, allocated at start.
        p.put("log.cleaner.dedupe.buffer.size", "2097152");
        p.putAll(overrides);
        return p;
    }

    /** SASL/PLAIN on both listeners with {@link #users}, and ACLs required for everyone but the node itself. */
    private void secure(Properties p) {
        StringBuilder jaas = new StringBuilder(plainLogin(BROKER_USER, BROKER_PASSWORD));
        jaas.setLength(jaas.length() - 1); // the users go before the closing ';'
        users.forEach((user, password) -> jaas.append(" user_").append(user).append("=\"").append(password)
                .append('"'));
        jaas.append(';');
        p.put("sasl.enabled.mechanisms", "PLAIN," + SCRAM); // SCRAM's users: upsertScramCredentials
        p.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
        p.put("sasl.mechanism.controller.protocol", "PLAIN");
        p.put("listener.name." + clientProtocol().toLowerCase(java.util.Locale.ROOT) + ".plain.sasl.jaas.config",
                jaas.toString());
        p.put("listener.name.controller.plain.sasl.jaas.config", jaas.toString());
        // both listeners offer every enabled mechanism, so each needs SCRAM's server login too
        for (String listener : List.of(clientProtocol(), "CONTROLLER")) {
            p.put("listener.name." + listener.toLowerCase(java.util.Locale.ROOT) + "."
                    + SCRAM.toLowerCase(java.util.Locale.ROOT) + ".sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        }
        if (tls != null) {
            p.putAll(tls.brokerProperties());
        }
        authorise(p);
    }

    /** ACLs required for everyone but the node itself ({@value #BROKER_USER}). */
    private static void authorise(Properties p) {
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("allow.everyone.if.no.acl.found", "false");
        p.put("super.users", "User:" + BROKER_USER);
    }

    /** The client listener's protocol (and its listener's name). */
    private String clientProtocol() {
        return mutualTls ? "SSL" : users == null ? "PLAINTEXT" : tls == null ? "SASL_PLAINTEXT" : "SASL_SSL";
    }

    /**
     * Gives every client user a SCRAM-SHA-512 credential with its password (KRaft keeps SCRAM credentials in the
     * cluster metadata, set through the admin API), and waits until the broker lists them all.
     */
    private void upsertScramCredentials(Admin admin) throws Exception {
        List<org.apache.kafka.clients.admin.UserScramCredentialAlteration> upserts = new java.util.ArrayList<>();
        users.forEach((user, password) -> upserts.add(new org.apache.kafka.clients.admin.UserScramCredentialUpsertion(
                user, new org.apache.kafka.clients.admin.ScramCredentialInfo(
                        org.apache.kafka.clients.admin.ScramMechanism.SCRAM_SHA_512, 4096), password)));
        admin.alterUserScramCredentials(upserts).all().get(10, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (admin.describeUserScramCredentials().users().get(10, TimeUnit.SECONDS).size() < users.size()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the broker did not list the SCRAM credentials of " + users.keySet());
            }
            sleep(50);
        }
    }

    private static String plainLogin(String user, String password) {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    private void awaitRegistered() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Map<String, Object> config = new java.util.HashMap<>(adminConfig(bootstrapServers()));
        config.putAll(superUserProperties());
        try (Admin admin = Admin.create(config)) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        if (users != null) {
                            upsertScramCredentials(admin);
                        }
                        return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the broker", e);
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("broker did not become ready at " + bootstrapServers(), e);
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("broker did not register at " + bootstrapServers());
                }
                sleep(50);
            }
        }
    }

    private static Map<String, Object> adminConfig(String bootstrap) {
        return Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    }

    /**
     * Refuses a log directory that a running broker holds (its {@code .lock}, which Kafka locks): a second broker on
     * it started its controller on the first one's metadata log before Kafka's own check failed, with a stack trace
     * (found by a helper session). The lock is only tried and released here; Kafka takes it itself. A directory a
     * broker of this JVM runs on is refused by the set of them, without opening its lock file: closing any channel of
     * that file would release the running broker's lock (POSIX locks belong to the process).
     */
    private static void refuseInUse(Path dir) {
        if (RUNNING_DIRS.contains(dir)) {
            throw new IllegalStateException(dir + " is in use by a running broker of this process");
        }
        Path lock = dir.resolve(".lock");
        if (!Files.isRegularFile(lock)) {
            return;
        }
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(lock,
                java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.channels.FileLock held = ch.tryLock();
            if (held == null) {
                throw new IllegalStateException(dir + " is in use by another running broker (its .lock is held): "
                        + "stop it or give another --data-dir");
            }
            held.release();
        } catch (java.io.IOException e) {
            // unreadable: Kafka's own lock says what is wrong
        }
    }

    /** Formats only a fresh directory: re-formatting a used one with a new cluster id would make it unusable. */
    private static void formatIfNeeded(Path dir) {
        try {
            Files.createDirectories(dir);
            if (Files.exists(dir.resolve("meta.properties"))) {
                return;
            }
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(dir.toString()))
                    .setMetadataLogDirectory(dir.toString())
                    .setControllerListenerName("CONTROLLER")
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("could not format Kafka storage in " + dir, e);
        }
    }

    /** {@code n} distinct ports free at the time of the call (all held open together while they are found). */
    private static int[] freePorts(int n) {
        ServerSocket[] sockets = new ServerSocket[n];
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                sockets[i] = new ServerSocket(0, 1, InetAddress.getByName(HOST));
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket socket : sockets) {
                if (socket != null) {
                    try {
                        socket.close();
                    } catch (IOException ignored) {
                        // the port is released either way
                    }
                }
            }
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
            return socket.isBound();
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
