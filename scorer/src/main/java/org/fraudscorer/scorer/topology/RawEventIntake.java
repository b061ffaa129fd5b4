package org.fraudscorer.scorer.topology;

import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.error.DeadLetter;
import org.fraudscorer.scorer.model.ModelRegistry;
import org.fraudscorer.scorer.serde.ParseResult;
import org.fraudscorer.scorer.serde.RawEventFields;
import org.fraudscorer.scorer.serde.RawEventParser;
import org.fraudscorer.scorer.serde.RejectReason;
import org.fraudscorer.scorer.server.ScorerMetrics;

/**
 * Parses raw events or labels from their topic: an accepted record becomes a {@link Staged} event or label, a
 * refused one a dead letter with the reason and the source topic, partition and offset — before any repartition,
 * so the dead letter points at the record the producer wrote, and leaves by {@link DeadLetterRoute#exitAtIntake}
 * with the producer's key. A payment time after its own record's timestamp is refused here ({@code
 * FUTURE_EVENT_TIME}: {@link RecordTimeGuard#checkEventTime}). With the input read as keyed by card ({@link ScorerConfig#inputKeyedByCard()}), an event
 * whose key is not its card is refused here too ({@code KEY_NOT_CARD}).
 */
final class RawEventIntake implements FixedKeyProcessor<byte[], byte[], Staged> {
    private final RawEventParser parser;
    private final ModelRegistry registry;
    private final ScorerMetrics metrics;
    private final String topic;
    private final RawEventFields fields = new RawEventFields();
    private final RecordTimeGuard timeGuard;
    private final boolean keyedByCard;
    private final int maxEnvelopeBytes;
    private FixedKeyProcessorContext<byte[], Staged> context;

    RawEventIntake(RawEventParser.Kind kind, ScorerConfig config, ModelRegistry registry, ScorerMetrics metrics) {
        this.parser = new RawEventParser(kind, config.maxEventBytes());
        this.registry = registry;
        this.metrics = metrics;
        this.topic = kind == RawEventParser.Kind.EVENT ? config.topics().input() : config.topics().labels();
        this.timeGuard = new RecordTimeGuard(config);
        this.keyedByCard = kind == RawEventParser.Kind.EVENT && config.inputKeyedByCard();
        this.maxEnvelopeBytes = config.maxEnvelopeBytes();
    }

    @Override
    public void init(FixedKeyProcessorContext<byte[], Staged> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<byte[], byte[]> record) {
        RecordMetadata meta = context.recordMetadata().orElse(null);
        int partition = meta == null ? -1 : meta.partition();
        long offset = meta == null ? -1 : meta.offset();
        String envelope = Envelope.refusal(record.key(), record.headers(), maxEnvelopeBytes);
        if (envelope != null) { // its outputs would carry the key and headers on: refused, and written without them
            Staged refused = Staged.deadLetter(-1, DeadLetterRoute.emit(DeadLetter.of(RejectReason.OVERSIZE, envelope,
                    DeadLetterRoute.origin(context, topic, record.timestamp()), new byte[0],
                    registry.current().modelVersion()), metrics));
            context.forward(record.withValue(refused)
                    .withHeaders(new org.apache.kafka.common.header.internals.RecordHeaders()));
            return;
        }
        long now = System.currentTimeMillis();
        var stale = timeGuard.check(record.timestamp(), now);
        ParseResult r = stale == null ? parser.parse(record.value(), fields)
                : ParseResult.rejected(stale, timeGuard.detail(stale, record.timestamp(), now), null);
        if (r.isOk()) { // a payment from after its own record would expire every history of its task
            RejectReason future = timeGuard.checkEventTime(fields.epochSeconds, record.timestamp());
            r = future == null ? r : ParseResult.rejected(future,
                    timeGuard.eventTimeDetail(fields.epochSeconds, record.timestamp()),
                    String.valueOf(fields.transactionId));
        }
        if (keyedByCard && r.isOk()) { // the card stage trusts the input's partition: the key must be the card
            ParseResult wrongKey = RawEventParser.checkCardKey(record.key(), fields.customerId);
            r = wrongKey == null ? r : wrongKey;
        }
        Staged out;
        if (!r.isOk()) {
            out = Staged.deadLetter(-1, DeadLetterRoute.emit(DeadLetter.of(r.reason(), r.detail(),
                    DeadLetterRoute.origin(context, topic, record.timestamp()), record.value(),
                    registry.current().modelVersion()), metrics));
        } else if (parser.kind() == RawEventParser.Kind.EVENT) {
            out = new Staged(Staged.EVENT, fields.transactionId, fields.epochSeconds, fields.customerId,
                    fields.terminalId, fields.amount, false, partition, offset, record.value(), null);
        } else {
            out = new Staged(Staged.LABEL, fields.transactionId, fields.epochSeconds, -1, fields.terminalId, 0,
                    fields.fraud, partition, offset, record.value(), null); // its bytes, for a dead letter later
        }
        context.forward(record.withValue(out));
    }
}
