package org.fraudscorer.app.console;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.fraudscorer.scorer.serde.RawEventJson;
import org.fraudscorer.scorer.serde.RawEventParser;
import org.fraudscorer.scorer.serde.TransactionParser;

/**
 * What an analyst's verdict on an alert becomes on the labels topic, one case per event family, chosen once from
 * the shape of the flagged event.
 */
public enum LabelFormat {
    /**
     * Raw payment events: exactly the label feedback the scorer's terminal stage reads ({@link RawEventJson#label},
     * {@code TRANSACTION_ID}, {@code TERMINAL_ID}, {@code TX_DATETIME}, {@code TX_FRAUD}), keyed by the terminal as
     * the demo's replay keys it.
     */
    RAW_EVENT {
        @Override
        String key(Alert a) {
            return Long.toString(a.event().get(RawEventParser.TERMINAL).asLong());
        }

        @Override
        byte[] value(Alert a, boolean fraud) {
            ObjectNode e = a.event();
            return RawEventJson.label(e.get(RawEventParser.ID).asLong(), Alert.epochSeconds(e.get(RawEventParser.DATETIME)),
                    e.get(RawEventParser.TERMINAL).asLong(), fraud);
        }
    },
    /**
     * Creditcard rows: the event as it was scored, with its {@code id} and the verdict as {@code Class} — a labelled
     * row in the input format, for retraining — keyed by the event id.
     */
    CREDITCARD {
        @Override
        String key(Alert a) {
            return a.id();
        }

        @Override
        byte[] value(Alert a, boolean fraud) {
            ObjectNode row = a.event().deepCopy();
            row.put(TransactionParser.ID_FIELD, a.id());
            row.put(TransactionParser.LABEL_FIELD, fraud ? 1 : 0);
            return row.toString().getBytes(StandardCharsets.UTF_8);
        }
    };

    /** The record key of the label. */
    abstract String key(Alert a);

    /** The record value of the label. */
    abstract byte[] value(Alert a, boolean fraud);

    /** Raw payment events carry an integer transaction id, a terminal and a date-time; anything else is a row. */
    static LabelFormat of(ObjectNode event) {
        return event.path(RawEventParser.ID).isIntegralNumber() && event.path(RawEventParser.TERMINAL).isIntegralNumber()
                && (event.path(RawEventParser.DATETIME).isTextual() || event.path(RawEventParser.DATETIME).isIntegralNumber())
                ? RAW_EVENT : CREDITCARD;
    }
}
