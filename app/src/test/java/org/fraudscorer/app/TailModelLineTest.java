package org.fraudscorer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.common.model.ModelFixtures;
import org.junit.jupiter.api.Test;

/** How {@code tail} shows a model topic's record: its key, version and schema, and whether scorers would load it. */
class TailModelLineTest {
    private static String line(byte[] value) {
        return TailCommand.line(new ConsumerRecord<>("fraud-models", 0, 12L,
                "default".getBytes(StandardCharsets.UTF_8), value));
    }

    @Test
    void aModelThatLoadsIsShownPlainAndATamperedOneSaysItIsRefused() {
        ModelBundle bundle = ModelFixtures.bundle(1);
        byte[] good = ModelFile.toBytes(bundle);
        assertThat(line(good)).endsWith(" fraud-models-0@12 MODEL key default: " + bundle.modelVersion() + ", schema "
                + bundle.schema().name() + ", " + String.format(java.util.Locale.ROOT, "%,d", good.length) + " bytes");

        // the threshold raised by hand: the checksum no longer matches (it was shown like the good one)
        String text = new String(good, StandardCharsets.UTF_8);
        String tampered = text.replaceFirst("\"value\"\\s*:\\s*0\\.", "\"value\" : 0.9");
        assertThat(tampered).isNotEqualTo(text);
        assertThat(line(tampered.getBytes(StandardCharsets.UTF_8))).contains(" MODEL key default: "
                + bundle.modelVersion()).contains("; REFUSED by every scorer: fails its checksum (declared ");
    }
}
