package dev.talkback.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.talkback.events.CommentModerated.AuthorContact;
import dev.talkback.events.CommentModerated.Outcome;
import dev.talkback.events.CommentModerated.PublicComment;
import dev.talkback.events.CommentModerated.Reason;
import dev.talkback.events.CommentSubmitted.Author;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The wire format is the contract: each event must read from and write to its golden file exactly, so that a
 * change to a record that would break another service fails here first.
 */
class GoldenJsonTests {

    /** Configured like the consumers' deserializer: unknown fields are ignored. */
    private final JsonMapper mapper = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    static final CommentSubmitted SUBMITTED = new CommentSubmitted(
            UUID.fromString("6f1c2a4e-8d3b-4b7a-9c1e-2f5a7d9b0c11"),
            Instant.parse("2026-11-28T10:15:30.123Z"),
            "01JDQ7Z5K8M3N4P5Q6R7S8T9V0",
            "us-sees-japan-s-korea-thaw",
            null,
            new Author("Ada Reader", "ada@example.org", "https://ada.example.org", true, true),
            "A thaw would be welcome.\nLet's hope the pact survives.",
            "203.0.113.7",
            "Mozilla/5.0 (X11; Linux x86_64)");

    static final CommentModerated MODERATED = new CommentModerated(
            UUID.fromString("0b8e6f7a-1c2d-4e3f-8a9b-0c1d2e3f4a5b"),
            Instant.parse("2026-11-28T10:15:31.456Z"),
            "01JDQ7Z5K8M3N4P5Q6R7S8T9V0",
            "us-sees-japan-s-korea-thaw",
            1,
            Outcome.APPROVED,
            false,
            List.of(new Reason("pipeline.passed", "No rule objected to this comment.")),
            null,
            new PublicComment(
                    null,
                    "Ada Reader",
                    "https://ada.example.org",
                    "A thaw would be welcome.\nLet's hope the pact survives.",
                    Instant.parse("2026-11-28T10:15:30.123Z")),
            new AuthorContact("ada@example.org", true, true));

    static final CommentModerated REMOVED = new CommentModerated(
            UUID.fromString("7c6b5a49-3827-4165-9f4e-3d2c1b0a9f8e"),
            Instant.parse("2026-11-28T12:30:00.250Z"),
            "01JDQ7Z5K8M3N4P5Q6R7S8T9V0",
            "us-sees-japan-s-korea-thaw",
            2,
            Outcome.REJECTED,
            true,
            List.of(new Reason("human.reject", "Gives a private person's address.")),
            "A moderator decided not to publish this comment.",
            MODERATED.comment(),
            MODERATED.contact(),
            new CommentModerated.Statement(
                    CommentModerated.Statement.Facts.NOTICE,
                    false,
                    false,
                    CommentModerated.Statement.Ground.TERMS,
                    "Comment rules, 4: no personal information about others",
                    "A moderator decided not to publish this comment.",
                    "Write to complaints@news.example to contest this decision."));

    static final CommentReported REPORTED = new CommentReported(
            UUID.fromString("3d2c1b0a-9f8e-4d7c-8b6a-5f4e3d2c1b0a"),
            Instant.parse("2026-11-28T11:02:03.004Z"),
            "01JDQA1B2C3D4E5F6G7H8J9K0M",
            "01JDQ7Z5K8M3N4P5Q6R7S8T9V0",
            "us-sees-japan-s-korea-thaw",
            CommentReported.Reason.ILLEGAL_CONTENT,
            "Names a private person and their home address.",
            new CommentReported.Notice(
                    "It publishes a private person's home address, which the law of my country forbids.",
                    "Grace Notifier",
                    "grace@example.org",
                    true),
            "198.51.100.23");

    @Test
    void commentSubmittedReadsFromItsGoldenFile() throws IOException {
        assertThat(mapper.readValue(golden("CommentSubmitted"), CommentSubmitted.class))
                .isEqualTo(SUBMITTED);
    }

    @Test
    void commentSubmittedWritesItsGoldenFile() throws IOException {
        JsonNode written = mapper.valueToTree(SUBMITTED);
        assertThat(written).isEqualTo(mapper.readTree(golden("CommentSubmitted")));
    }

    @Test
    void commentModeratedReadsFromItsGoldenFile() throws IOException {
        assertThat(mapper.readValue(golden("CommentModerated"), CommentModerated.class))
                .isEqualTo(MODERATED);
    }

    @Test
    void commentModeratedWritesItsGoldenFile() throws IOException {
        JsonNode written = mapper.valueToTree(MODERATED);
        assertThat(written).isEqualTo(mapper.readTree(golden("CommentModerated")));
    }

    @Test
    void aRemovalWithItsStatementOfReasonsReadsAndWritesItsGoldenFile() throws IOException {
        assertThat(mapper.readValue(golden("CommentRemoved"), CommentModerated.class))
                .isEqualTo(REMOVED);
        assertThat((JsonNode) mapper.valueToTree(REMOVED)).isEqualTo(mapper.readTree(golden("CommentRemoved")));
    }

    @Test
    void eventsOfAnOlderProducerWithoutAStatementReadAsNone() throws IOException {
        ObjectNode older = (ObjectNode) mapper.readTree(golden("CommentRemoved"));
        older.remove("statement");

        assertThat(mapper.treeToValue(older, CommentModerated.class).statement())
                .isNull();
    }

    static final CommentAppealed APPEALED = new CommentAppealed(
            UUID.fromString("5e4d3c2b-1a09-4f8e-9d7c-6b5a49382716"),
            Instant.parse("2026-11-29T09:00:00.500Z"),
            "01JDQ7Z5K8M3N4P5Q6R7S8T9V0",
            "us-sees-japan-s-korea-thaw",
            2,
            "The address I gave is the town hall's, which is public.");

    @Test
    void commentAppealedReadsAndWritesItsGoldenFile() throws IOException {
        assertThat(mapper.readValue(golden("CommentAppealed"), CommentAppealed.class))
                .isEqualTo(APPEALED);
        assertThat((JsonNode) mapper.valueToTree(APPEALED)).isEqualTo(mapper.readTree(golden("CommentAppealed")));
    }

    static final PrivacyExportRequested EXPORT_REQUESTED = new PrivacyExportRequested(
            UUID.fromString("7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d"),
            Instant.parse("2026-12-06T08:00:00Z"),
            UUID.fromString("1d2c3b4a-5f6e-4d7c-9b8a-796857463524"),
            "ada@example.org");

    static final PrivacyExportPart EXPORT_PART = new PrivacyExportPart(
            UUID.fromString("2e3f4a5b-6c7d-4e8f-9a0b-1c2d3e4f5a6b"),
            Instant.parse("2026-12-06T08:00:01Z"),
            UUID.fromString("1d2c3b4a-5f6e-4d7c-9b8a-796857463524"),
            "moderation-service",
            0,
            true,
            "[{\"type\":\"comment\",\"commentId\":\"01JDQ7Z5K8M3N4P5Q6R7S8T9V0\"}]");

    static final PrivacyErasure ERASURE = new PrivacyErasure(
            UUID.fromString("3f4a5b6c-7d8e-4f9a-8b1c-2d3e4f5a6b7c"),
            Instant.parse("2026-12-06T08:05:00Z"),
            UUID.fromString("4a5b6c7d-8e9f-4a0b-9c2d-3e4f5a6b7c8d"),
            "ada@example.org");

    @Test
    void privacyEventsReadAndWriteTheirGoldenFiles() throws IOException {
        assertThat(mapper.readValue(golden("PrivacyExportRequested"), PrivacyExportRequested.class))
                .isEqualTo(EXPORT_REQUESTED);
        assertThat((JsonNode) mapper.valueToTree(EXPORT_REQUESTED))
                .isEqualTo(mapper.readTree(golden("PrivacyExportRequested")));
        assertThat(mapper.readValue(golden("PrivacyExportPart"), PrivacyExportPart.class))
                .isEqualTo(EXPORT_PART);
        assertThat((JsonNode) mapper.valueToTree(EXPORT_PART)).isEqualTo(mapper.readTree(golden("PrivacyExportPart")));
        assertThat(mapper.readValue(golden("PrivacyErasure"), PrivacyErasure.class))
                .isEqualTo(ERASURE);
        assertThat((JsonNode) mapper.valueToTree(ERASURE)).isEqualTo(mapper.readTree(golden("PrivacyErasure")));
    }

    @Test
    void privacyEventsNeverPrintTheAddress() {
        assertThat(EXPORT_REQUESTED.toString()).doesNotContain("ada@");
        assertThat(ERASURE.toString()).doesNotContain("ada@");
    }

    @Test
    void commentReportedReadsFromItsGoldenFile() throws IOException {
        assertThat(mapper.readValue(golden("CommentReported"), CommentReported.class))
                .isEqualTo(REPORTED);
    }

    @Test
    void commentReportedWritesItsGoldenFile() throws IOException {
        JsonNode written = mapper.valueToTree(REPORTED);
        assertThat(written).isEqualTo(mapper.readTree(golden("CommentReported")));
    }

    @Test
    void consumersIgnoreFieldsAddedByANewerProducer() throws IOException {
        ObjectNode newer = (ObjectNode) mapper.readTree(golden("CommentModerated"));
        newer.put("addedInAFutureMinorVersion", "ignored");
        ((ObjectNode) newer.get("comment")).put("alsoNew", 42);

        assertThat(mapper.treeToValue(newer, CommentModerated.class)).isEqualTo(MODERATED);
    }

    @Test
    void eventsOfAnOlderProducerWithoutNotifyPublishedReadAsNotAskedFor() throws IOException {
        ObjectNode submitted = (ObjectNode) mapper.readTree(golden("CommentSubmitted"));
        ((ObjectNode) submitted.get("author")).remove("notifyPublished");
        ObjectNode moderated = (ObjectNode) mapper.readTree(golden("CommentModerated"));
        ((ObjectNode) moderated.get("contact")).remove("notifyPublished");

        assertThat(mapper.treeToValue(submitted, CommentSubmitted.class).author())
                .isEqualTo(new Author("Ada Reader", "ada@example.org", "https://ada.example.org", true, false));
        assertThat(mapper.treeToValue(moderated, CommentModerated.class).contact())
                .isEqualTo(new AuthorContact("ada@example.org", true, false));
    }

    @Test
    void authorContactDetailsNeverReachToString() {
        assertThat(SUBMITTED.toString()).doesNotContain("ada@example.org");
        assertThat(MODERATED.toString()).doesNotContain("ada@example.org");
        assertThat(REPORTED.toString()).doesNotContain("grace@example.org");
    }

    @Test
    void typeMappingNamesEveryEventLogically() {
        assertThat(EventTypes.JSON_TYPE_MAPPING)
                .isEqualTo("CommentSubmitted:dev.talkback.events.CommentSubmitted,"
                        + "CommentModerated:dev.talkback.events.CommentModerated,"
                        + "CommentReported:dev.talkback.events.CommentReported,"
                        + "CommentAppealed:dev.talkback.events.CommentAppealed,"
                        + "PrivacyExportRequested:dev.talkback.events.PrivacyExportRequested,"
                        + "PrivacyExportPart:dev.talkback.events.PrivacyExportPart,"
                        + "PrivacyErasure:dev.talkback.events.PrivacyErasure");
    }

    private InputStream golden(String name) {
        InputStream in = getClass().getResourceAsStream("/golden/" + name + ".json");
        assertThat(in).as("golden file %s", name).isNotNull();
        return in;
    }
}
