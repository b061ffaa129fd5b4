package org.fraudscorer.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import org.apache.commons.csv.CSVFormat;
import org.junit.jupiter.api.Test;

/** score's id field reads back as written with the format the trainer reads CSV with (spaces trimmed unquoted). */
class ScoreCsvFieldTest {

    private static String field(String value) {
        StringBuilder line = new StringBuilder();
        CreditCardCommands.appendCsvField(line, value);
        return line.toString();
    }

    private static String readBack(String field) throws Exception {
        CSVFormat format = CSVFormat.RFC4180.builder().setIgnoreSurroundingSpaces(true).get();
        try (var parser = format.parse(new StringReader(field + ",x\n"))) {
            return parser.getRecords().get(0).get(0);
        }
    }

    @Test
    void everyIdReadsBackAsWritten() throws Exception {
        for (String id : new String[] {"TX-1", "a,b", "say \"hi\"", " lead", "trail ", "x\u3000", "\u2003y", "caf\u00e9"}) {
            assertThat(readBack(field(id))).as(id).isEqualTo(id);
        }
        assertThat(field("TX-1")).isEqualTo("TX-1"); // plain ids unquoted
    }
}
