package org.fraudscorer.scorer.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * {@code GET /metrics} (Prometheus text format) and {@code GET /health} (200 when the stream runs, 503 otherwise,
 * with the Streams state and serving model in the body). Binds to 127.0.0.1 unless told otherwise: metrics reveal
 * traffic volumes and should not be exposed by accident.
 *
 * <p>Requests are served by {@value #THREADS} threads of their own, not by the JDK server's one dispatcher thread,
 * which reads a request to its end once it has begun: one client that sends half a request (or a stalled scraper)
 * would otherwise hold every later probe, and a liveness probe that times out restarts a healthy scorer. The JDK
 * server drops a request not read in full within {@code sun.net.httpserver.maxReqTime} seconds (set to
 * {@value #MAX_REQUEST_SECONDS} unless given; a JVM-wide setting, read once when the JVM's first HTTP server starts).
 */
public final class HealthServer implements AutoCloseable {
    static final int THREADS = 4;
    static final int MAX_REQUEST_SECONDS = 10;

    static {
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", Integer.toString(MAX_REQUEST_SECONDS));
        }
    }

    private final HttpServer server;
    private final java.util.concurrent.ExecutorService executor;

    /** What /health reports. */
    public record Health(boolean healthy, String body) {
    }

    public HealthServer(String host, int port, PrometheusMeterRegistry registry, Supplier<Health> health)
            throws IOException {
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) { // the JDK's bind said only 'Unresolved address'
            throw new java.net.BindException("--metrics-host " + host + " does not resolve to an address: give one of "
                    + "this host's own addresses, 0.0.0.0 for all, or 127.0.0.1");
        }
        try {
            server = HttpServer.create(address, 16);
        } catch (java.net.BindException e) {
            if (String.valueOf(e.getMessage()).contains("Cannot assign requested address")) { // EADDRNOTAVAIL
                throw new java.net.BindException("--metrics-host " + host + " is not an address of this host ("
                        + e.getMessage() + "): give one of its own addresses, 0.0.0.0 for all, or 127.0.0.1");
            }
            throw new java.net.BindException("metrics port " + host + ":" + port + " is not free (" + e.getMessage()
                    + "): another scorer on this host? give each its own --metrics-port, or -1 for none");
        }
        server.createContext("/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8",
                registry.scrape()));
        server.createContext("/health", ex -> {
            Health h = health.get();
            respond(ex, h.healthy() ? 200 : 503, "application/json", h.body());
        });
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        executor = java.util.concurrent.Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "metrics-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
