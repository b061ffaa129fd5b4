package org.fraudscorer.scorer.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.fraudscorer.common.model.AtomicFiles;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.scorer.config.ClientSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the compacted model topic and offers every model file published there to the {@link ModelRegistry}.
 * It reads the whole topic from the beginning with its own partition assignment (no consumer group): every
 * scorer instance must see every model, and on start it catches up to the latest published version.
 *
 * <p>Until it has read the topic's content at start it only checks each model and holds the latest acceptable one
 * per slot, then serves it: a scorer that started on its {@code --model} before the watcher caught up swaps once, to
 * the latest, not through every older model still on the topic. A refusal is reported as it is read. The topic's
 * champion is served even when it is older than {@code --model} (every instance serves the same champion; a warning
 * names both): a model becomes the champion by being published.
 *
 * <p>The champion it last served from the topic is kept in a file (the scorer's state directory), as published.
 * Compaction keeps only a key's latest record, so a refused record (unsigned, another schema) published under the
 * champion's key eventually removes the good one before it: a scorer restarted then finds only refused champions.
 * It then serves the kept model again, verified as any record, rather than its start-up {@code --model} (unless
 * that is newer). A topic with no champion at all leaves {@code --model} serving.
 *
 * <p>The record key says which slot a file is for: {@link ModelRegistry#CHALLENGER_KEY} offers a challenger (shadow
 * scoring) and its tombstone demotes it; any other key offers a champion, and a champion's tombstone is ignored (it
 * only lets compaction forget a name: the serving model stays).
 */
public final class ModelWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelWatcher.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final ModelRegistry registry;
    private final Thread thread;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile String failure;
    static final long MIN_BACKOFF_MS = 500;
    static final long MAX_BACKOFF_MS = 30_000;
    /** The next offset to read per partition (watcher thread only), kept across a failure. */
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    private Map<TopicPartition, Long> startEnd;
    /**
     * Until the topic's content at start is read (watcher thread only): models read are checked and the latest
     * acceptable one per slot is held, then served once. Serving each in turn would put every older champion still on
     * the topic in front of live traffic for a moment when scoring started before the watcher caught up.
     */
    private boolean catchingUp = true;
    private ModelRegistry.Candidate heldChampion;
    private ModelRegistry.Candidate heldChallenger;
    /** The origin of a challenger tombstone read after the last held challenger (catching up), or null. */
    private String challengerDemoted;
    /** The held champion's file, as read (for {@link #lastServed}). */
    private byte[] heldChampionFile;
    /** The held champion's record position, {@code partition@offset}. */
    private String heldChampionPosition;
    /** The position of the record being handled, {@code partition@offset}. */
    private String position;
    /** Whether a champion record read while catching up was refused. */
    private boolean championRefused;
    /**
     * Refusals read while catching up after the last acceptable record of their slot (champion, challenger): told
     * once caught up. Those a later acceptable record (or a challenger tombstone) replaced are not: a restarted scorer
     * told every bad record still on the topic again, counting old refusals as new (an alert rule fired on restarts).
     */
    private final List<ModelRegistry.Checked> championRefusals = new ArrayList<>();
    private final List<ModelRegistry.Checked> challengerRefusals = new ArrayList<>();
    private final Path lastServed;
    /** The checksum of the model last written to {@link #lastServed} by this watcher (watcher thread only). */
    private String savedSha;

    public ModelWatcher(Properties clientProperties, String topic, ModelRegistry registry) {
        this(clientProperties, topic, registry, null);
    }

    /**
     * @param lastServed where the champion last served from the topic is kept (its file's bytes, as published), or
     *                   null for nowhere: served again when every champion on the topic is refused (see the class)
     */
    public ModelWatcher(Properties clientProperties, String topic, ModelRegistry registry, Path lastServed) {
        this.lastServed = lastServed;
        this.consumer = new KafkaConsumer<>(consumerProperties(clientProperties), new StringDeserializer(),
                new ByteArrayDeserializer());
        this.topic = topic;
        this.registry = registry;
        this.thread = new Thread(this::run, "model-watcher");
        this.thread.setDaemon(true);
    }

    /**
     * The watcher's consumer settings: the scorer's connection, without a group (it reads the whole topic on every
     * start and commits nothing), only committed records, room for a model of 16 MB in one fetch, and the product's
     * consumer defaults ({@link ClientSettings#CONSUMER_DEFAULTS}: never creating the topic) unless the user set them.
     */
    public static Properties consumerProperties(Properties clientProperties) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(16 * 1024 * 1024));
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return ClientSettings.withConsumerDefaults(p);
    }

    public ModelWatcher start() {
        thread.start();
        return this;
    }

    /** Waits until the topic's content at start time has been read (so a restarted scorer serves the latest model). */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Follows the topic until closed. A failure (a metadata timeout, a lost authorisation, a listener that threw) is
     * logged with the model still served, visible in {@link #failure()}, and retried with a growing back-off (0.5 s
     * to 30 s) from where reading stopped: the record being offered when it failed is not offered again, and the
     * models read before it are not re-read, so a recovery never swaps an older version back in.
     */
    private void run() {
        long backoffMs = MIN_BACKOFF_MS;
        try {
            while (running) {
                try {
                    follow();
                    return; // closed
                } catch (WakeupException e) {
                    return; // closing
                } catch (RuntimeException | Error e) {
                    // an Error too (a model whose building runs out of memory): the watcher must not die silently
                    failure = e.toString();
                    caughtUp.countDown(); // the start-up model serves meanwhile: start-up waits no longer
                    LOG.error("model watcher: {}; model {} keeps serving; reading {} again in {} ms", e,
                            registry.current().modelVersion(), topic, backoffMs);
                    if (!pause(backoffMs)) {
                        return;
                    }
                    backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
                }
            }
        } finally {
            caughtUp.countDown();
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /**
     * What is wrong with a model topic of {@code partitions} partitions, or null for one: said by the scorer at
     * start-up and by {@code publish} and {@code retrain} when they write to it.
     */
    public static String partitionsProblem(String topic, int partitions) {
        return partitions <= 1 ? null : "model topic " + topic + " has " + partitions + " partitions: models on "
                + "different partitions are read in no defined order, so the latest published may not be the one "
                + "served; create it with one partition";
    }

    /** One reading session: from the beginning the first time, then from the saved positions; returns when closed. */
    private void follow() {
        List<TopicPartition> partitions = waitForPartitions();
        if (partitions.isEmpty()) {
            return;
        }
        if (partitions.size() > 1 && startEnd == null) {
            LOG.warn(partitionsProblem(topic, partitions.size()));
        }
        consumer.assign(partitions);
        for (TopicPartition tp : partitions) {
            Long at = positions.get(tp);
            if (at == null) {
                consumer.seekToBeginning(List.of(tp));
            } else {
                consumer.seek(tp, at);
            }
        }
        if (startEnd == null) {
            startEnd = consumer.endOffsets(partitions); // the topic's content at start: what "caught up" means
        }
        while (running) {
            var records = consumer.poll(Duration.ofMillis(500));
            if (failure != null) {
                LOG.info("model watcher reading {} again", topic);
                failure = null;
            }
            for (ConsumerRecord<String, byte[]> r : records) {
                // Advanced first: a record whose offer throws is skipped when reading resumes, not offered forever.
                positions.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
                String origin = topic + "-" + r.partition() + "@" + r.offset();
                boolean challenger = ModelRegistry.CHALLENGER_KEY.equals(r.key());
                position = r.partition() + "@" + r.offset();
                if (catchingUp) {
                    hold(r.value(), origin, challenger);
                    continue;
                }
                if (r.value() == null) {
                    if (challenger) {
                        registry.demoteChallenger(origin);
                    }
                    continue; // a champion's tombstone deletes a key from the compacted topic; it is not a model
                }
                if (challenger) {
                    registry.offerChallenger(r.value(), origin);
                } else {
                    offerAndKeep(r.value(), origin);
                }
            }
            if (catchingUp && partitions.stream().allMatch(tp -> consumer.position(tp) >= startEnd.getOrDefault(tp, 0L))) {
                catchingUp = false;
                servePending();
            }
            if (caughtUp.getCount() > 0 && !catchingUp) {
                caughtUp.countDown();
            }
        }
    }

    /**
     * While catching up: checks a record read and keeps it only if it is the latest acceptable one of its slot. A
     * refusal is told once caught up, unless a later acceptable record replaced it; a challenger's tombstone replaces
     * a held challenger (and its refusals).
     */
    private void hold(byte[] value, String origin, boolean challenger) {
        if (challenger) {
            if (value == null) {
                heldChallenger = null;
                challengerDemoted = origin;
                challengerRefusals.clear();
            } else {
                ModelRegistry.Checked c = registry.checkChallengerQuietly(value, origin);
                if (c.candidate() != null) {
                    heldChallenger = c.candidate();
                    challengerDemoted = null;
                    challengerRefusals.clear();
                } else {
                    challengerRefusals.add(c);
                }
            }
        } else if (value != null) {
            ModelRegistry.Checked c = registry.checkChampionQuietly(value, origin);
            if (c.candidate() != null) {
                heldChampion = c.candidate();
                heldChampionFile = value;
                heldChampionPosition = position;
                championRefusals.clear();
            } else {
                championRefused = true;
                championRefusals.add(c);
            }
        }
    }

    /** Caught up: serves the latest acceptable champion, then the challenger slot's latest state (one change each). */
    private void servePending() {
        // refusals after the last acceptable champion: the latest champion record on the topic was refused
        boolean latestRefused = heldChampion != null && !championRefusals.isEmpty();
        for (ModelRegistry.Checked refused : championRefusals) {
            registry.reportRefusal(refused);
        }
        for (ModelRegistry.Checked refused : challengerRefusals) {
            registry.reportRefusal(refused);
        }
        championRefusals.clear();
        challengerRefusals.clear();
        ModelRegistry.Candidate champion = heldChampion;
        byte[] championFile = heldChampionFile;
        String championPosition = heldChampionPosition;
        ModelRegistry.Candidate challenger = heldChallenger;
        String demoted = challengerDemoted;
        heldChampion = null;
        heldChampionFile = null;
        heldChampionPosition = null;
        heldChallenger = null;
        challengerDemoted = null;
        Throwable failed = null;
        if (latestRefused) {
            // Running instances refused that record and kept what they served; after compaction the held champion may
            // be an older one under another key (a hotfix): the model this scorer last served, when newer, is theirs.
            Kept kept = keptLaterThan(champion.bundle(), championPosition);
            if (kept != null) {
                champion = kept.candidate();
                championFile = kept.file();
                championPosition = kept.position();
            }
        }
        try {
            if (champion != null) {
                ModelBundle serving = registry.current();
                if (champion.bundle().createdAt().isBefore(serving.createdAt())) {
                    LOG.warn("the champion on {} ({}, created {}) is older than the serving model {} (created {}) and "
                            + "replaces it: the model topic decides what every instance serves; publish {} to make it "
                            + "the champion", topic, champion.bundle().modelVersion(), champion.bundle().createdAt(),
                            serving.modelVersion(), serving.createdAt(), serving.modelVersion());
                }
                try {
                    registry.serve(champion);
                } finally { // served even if a listener threw after the swap
                    keepIfServing(championFile, champion.bundle(), championPosition);
                }
            } else if (championRefused) {
                serveLastServed();
            }
        } catch (RuntimeException | Error e) {
            failed = e; // a champion whose serving threw must not cost the challenger its change
        }
        try {
            if (challenger != null) {
                registry.shadow(challenger);
            } else if (demoted != null) {
                registry.demoteChallenger(demoted);
            }
        } catch (RuntimeException | Error e) {
            if (failed == null) {
                throw e;
            }
            failed.addSuppressed(e);
        }
        if (failed instanceof Error e) {
            throw e;
        }
        if (failed != null) {
            throw (RuntimeException) failed;
        }
    }

    /**
     * The model this scorer last served from the topic (kept in {@link #lastServed}), its file and its record's
     * position, when it loads, is accepted and its record came after {@code held}'s on the same partition (it was then
     * replaced by a record that is refused, and compacted away); else null. By position, not creation time: a deliberate
     * rollback publishes an older model after a newer one. A kept file without its position (kept by an earlier
     * version) is not preferred.
     */
    private Kept keptLaterThan(ModelBundle held, String heldPosition) {
        Path positionFile = positionFile();
        if (positionFile == null || heldPosition == null || !Files.isRegularFile(lastServed)
                || !Files.isRegularFile(positionFile)) {
            return null;
        }
        try {
            String keptPosition = Files.readString(positionFile, java.nio.charset.StandardCharsets.US_ASCII).strip();
            String[] k = keptPosition.split("@");
            String[] h = heldPosition.split("@");
            if (k.length != 2 || !k[0].equals(h[0]) || Long.parseLong(k[1]) <= Long.parseLong(h[1])) {
                return null;
            }
            byte[] file = ModelFile.readBounded(lastServed);
            ModelRegistry.Checked c = registry.checkChampionQuietly(file, "the model last served from " + topic
                    + " (" + lastServed + ")");
            if (c.candidate() == null) {
                return null;
            }
            LOG.warn("the latest champion record on {} was refused, and the champion held before it ({}, at {}) came "
                    + "before the model this scorer last served from the topic ({}, at {}, kept in {}), which the "
                    + "running instances kept serving: serving it again; publish a good model to replace it", topic,
                    held.modelVersion(), heldPosition, c.candidate().bundle().modelVersion(), keptPosition, lastServed);
            return new Kept(c.candidate(), file, keptPosition);
        } catch (IOException | RuntimeException e) {
            return null; // not readable: the held champion serves, as before
        }
    }

    /** The kept model, its file and its record's position. */
    private record Kept(ModelRegistry.Candidate candidate, byte[] file, String position) {
    }

    /** Beside {@link #lastServed}: the position of its record on the topic, {@code partition@offset}; null if unset. */
    private Path positionFile() {
        return lastServed == null ? null : lastServed.resolveSibling(lastServed.getFileName() + ".position");
    }

    /**
     * Every champion on the topic was refused (a bad record that compaction let replace the good one under its key):
     * serves again the champion this scorer last served from the topic, if it kept one and it still verifies.
     */
    private void serveLastServed() {
        if (lastServed == null || !Files.isRegularFile(lastServed)) {
            LOG.warn("every champion on {} was refused and no model served from it is kept; model {} keeps serving",
                    topic, registry.current().modelVersion());
            return;
        }
        byte[] file;
        try {
            file = ModelFile.readBounded(lastServed);
        } catch (IOException | RuntimeException e) {
            LOG.warn("every champion on {} was refused, and the model last served from it cannot be read from {} ({});"
                    + " model {} keeps serving", topic, lastServed, e.toString(), registry.current().modelVersion());
            return;
        }
        var checked = registry.checkChampion(file, "the model last served from " + topic + " (" + lastServed + ")");
        if (checked.isPresent() && checked.get().bundle().createdAt().isBefore(registry.current().createdAt())) {
            LOG.warn("every champion on {} was refused; the model last served from it ({}, kept in {}) is older than "
                    + "the start-up model {}, which keeps serving", topic, checked.get().bundle().modelVersion(),
                    lastServed, registry.current().modelVersion());
            return;
        }
        if (checked.isPresent() && registry.serve(checked.get())) {
            savedSha = checked.get().bundle().sha256();
            LOG.warn("every champion on {} was refused: serving {} again, the model this scorer last served from it "
                    + "(kept in {}); publish a good model to replace it", topic, checked.get().bundle().modelVersion(),
                    lastServed);
        }
    }

    /** Offers a champion file read after catching up, and keeps it if it serves (even if a listener then threw). */
    private void offerAndKeep(byte[] file, String origin) {
        var checked = registry.checkChampion(file, origin);
        if (checked.isPresent()) {
            ModelBundle serving = registry.current();
            if (checked.get().bundle().createdAt().isBefore(serving.createdAt())) { // as at start-up: said, not hidden
                LOG.warn("the champion published to {} ({}, created {}) is older than the serving model {} (created "
                        + "{}) and replaces it: a rollback, or an older file published by mistake", origin,
                        checked.get().bundle().modelVersion(), checked.get().bundle().createdAt(),
                        serving.modelVersion(), serving.createdAt());
            }
            try {
                registry.serve(checked.get());
            } finally {
                keepIfServing(file, checked.get().bundle(), position);
            }
        }
    }

    private void keepIfServing(byte[] file, org.fraudscorer.common.model.ModelBundle bundle, String recordPosition) {
        if (registry.current() == bundle) {
            keep(file, bundle.sha256(), recordPosition);
        }
    }

    /** Keeps the file of the champion just served from the topic in {@link #lastServed} (atomically), if set. */
    private void keep(byte[] file, String sha, String recordPosition) {
        if (lastServed == null || file == null || (sha != null && sha.equals(savedSha))) {
            return;
        }
        try {
            AtomicFiles.write(lastServed, file);
            savedSha = sha;
            if (recordPosition != null) { // where its record was, to tell it from a champion held after a restart
                AtomicFiles.write(positionFile(), (recordPosition + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            } else {
                Files.deleteIfExists(positionFile());
            }
        } catch (IOException | RuntimeException e) {
            // Not a reason to stop following the topic: only a later restart could miss it.
            LOG.warn("could not keep the served model in {}: {}", lastServed, e.toString());
        }
    }

    /** Sleeps unless closed; false when closed or interrupted. */
    private boolean pause(long ms) {
        long until = System.nanoTime() + ms * 1_000_000;
        while (running && System.nanoTime() < until) {
            try {
                Thread.sleep(Math.min(100, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return running;
    }

    /** Why the watcher is not following the topic now (it retries), or null while it follows it. */
    public String failure() {
        return failure;
    }

    private List<TopicPartition> waitForPartitions() {
        while (running) {
            var infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            }
            LOG.warn("model topic {} not found yet; serving the start-up model", topic);
            try {
                Thread.sleep(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        }
        return List.of();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5_000);
    }
}
