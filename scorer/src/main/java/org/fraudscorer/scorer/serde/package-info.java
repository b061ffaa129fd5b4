/**
 * The scorer's input boundary: turning the raw bytes of a Kafka record into a validated input vector, and
 * the matching writer used by producers, the replayer and tests.
 *
 * <p>The topology consumes {@code byte[]} so that no payload can make deserialisation throw; every decision
 * about a payload is taken by {@link org.fraudscorer.scorer.serde.TransactionParser}, which returns either
 * an accepted event or a {@link org.fraudscorer.scorer.serde.RejectReason} with a human-readable detail
 * (for the dead-letter topic and the rejection metrics). The reason codes are stable; the details are not.
 *
 * <p>Wire format: one flat JSON object in UTF-8 holding every input field of the
 * {@link org.fraudscorer.common.features.FeatureSchema} exactly once as a JSON number, an optional
 * {@code "id"} (string or integer) and, when the parser allows it, the label {@code "Class"}, which the
 * scorer never reads. {@link org.fraudscorer.scorer.serde.TransactionJson} writes this format.
 *
 * <p>Raw payment events (the handbook's fields) and their label feedback are read by
 * {@link org.fraudscorer.scorer.serde.RawEventParser} into {@link org.fraudscorer.scorer.serde.RawEventFields}, with
 * the same envelope checks ({@link org.fraudscorer.scorer.serde.StrictJson}), and written by
 * {@link org.fraudscorer.scorer.serde.RawEventJson}.
 */
package org.fraudscorer.scorer.serde;
