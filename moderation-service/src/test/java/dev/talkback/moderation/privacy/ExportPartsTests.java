package dev.talkback.moderation.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** How an export's records are packed into parts: in order, none split, no part over the limit. */
class ExportPartsTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void nothingIsOneEmptyPart() {
        assertThat(new ExportParts(100).finish()).isEqualTo("[]");
    }

    @Test
    void recordsFillPartsUpToTheLimitInOrderAndAreNeverSplit() {
        int limit = 64;
        ExportParts parts = new ExportParts(limit);
        List<String> closed = new ArrayList<>();
        List<String> records = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            // "ü" is two bytes in UTF-8: the limit is in bytes
            String record = "{\"n\":" + i + ",\"t\":\"" + "ü".repeat(i % 7) + "\"}";
            records.add(record);
            parts.add(record).ifPresent(closed::add);
        }
        closed.add(parts.finish());

        assertThat(closed.size()).isGreaterThan(1);
        List<String> unpacked = new ArrayList<>();
        for (String part : closed) {
            assertThat(part.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(limit);
            JsonNode array = JSON.readTree(part);
            assertThat(array.isArray()).isTrue();
            assertThat(array.size()).isPositive();
            array.forEach(record -> unpacked.add(JSON.writeValueAsString(record)));
        }
        assertThat(unpacked).containsExactlyElementsOf(records);
    }

    @Test
    void aPartIsClosedOnlyWhenTheNextRecordDoesNotFit() {
        ExportParts parts = new ExportParts(12);

        assertThat(parts.add("\"abcd\"")).isEmpty(); // ["abcd"] = 8 bytes
        assertThat(parts.add("1")).isEmpty(); // ["abcd",1] = 10 bytes
        assertThat(parts.add("22")).contains("[\"abcd\",1]"); // would be 13 bytes
        assertThat(parts.finish()).isEqualTo("[22]");
    }
}
