package dev.talkback.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.talkback.localstack.LocalStack.Service;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStackTests {

    @TempDir
    Path tmp;

    @AfterEach
    void clearProperties() {
        System.clearProperty("talkback.services");
        System.clearProperty("talkback.services.dir");
    }

    @Test
    void startsAllServicesUnlessToldOtherwise() {
        assertThat(LocalStack.wantedServices())
                .containsExactly(Service.COMMENT, Service.MODERATION, Service.NOTIFICATION);
        System.setProperty("talkback.services", "none");
        assertThat(LocalStack.wantedServices()).isEmpty();
        System.setProperty("talkback.services", "notification-service, comment");
        assertThat(LocalStack.wantedServices()).containsExactly(Service.NOTIFICATION, Service.COMMENT);
        System.setProperty("talkback.services", "billing-service");
        assertThatThrownBy(LocalStack::wantedServices).hasMessageContaining("Unknown service");
    }

    @Test
    void findsTheExecJarOfAService() throws Exception {
        System.setProperty("talkback.services.dir", tmp.toString());
        assertThat(LocalStack.findJar(Service.COMMENT)).isEmpty();

        Files.createFile(tmp.resolve("comment-service-0.1.0-SNAPSHOT.jar"));
        Files.createFile(tmp.resolve("comment-service-0.1.0-SNAPSHOT-exec.jar"));
        Files.createFile(tmp.resolve("moderation-service-0.1.0-SNAPSHOT-exec.jar"));

        assertThat(LocalStack.findJar(Service.COMMENT))
                .hasValue(tmp.resolve("comment-service-0.1.0-SNAPSHOT-exec.jar"));
        assertThat(LocalStack.findJar(Service.NOTIFICATION)).isEmpty();
    }

    @Test
    void generatesTheStatusTokenSecretOnceAndKeepsIt() throws Exception {
        String first = new LocalStack(tmp).statusTokenSecret();
        String second = new LocalStack(tmp).statusTokenSecret();

        assertThat(first).hasSizeGreaterThanOrEqualTo(43).isEqualTo(second);
        assertThat(Files.readString(tmp.resolve("status-token-secret"))).isEqualTo(first);
        assertThat(new LocalStack(tmp.resolve("other")).logFile(Service.MODERATION))
                .isEqualTo(tmp.resolve("other").resolve("logs").resolve("moderation-service.log"));
    }

    /** Tokens for one working day, for one service each, with keys that change at every start. */
    @Test
    void writesTokensValidEightHoursForOneServiceEachWithNewKeysAtEveryStart() throws Exception {
        Files.createDirectories(tmp.resolve("tokens"));
        Files.writeString(tmp.resolve("tokens").resolve("signing-key"), "an old key kept for ever");
        LocalStack stack = new LocalStack(tmp);

        LocalStack.LocalKeys first = stack.localTokens();

        assertThat(tmp.resolve("tokens").resolve("signing-key")).doesNotExist();
        assertThat(first.moderation()).isNotEqualTo(first.notification()).hasSizeGreaterThanOrEqualTo(43);
        Map<String, Object> moderator = claims(stack.tokenFile("moderator"), first.moderation());
        Map<String, Object> admin = claims(stack.tokenFile("admin"), first.moderation());
        Map<String, Object> notificationAdmin = claims(stack.tokenFile("notification-admin"), first.notification());
        assertThat(moderator)
                .containsEntry("aud", "talkback-moderation")
                .containsEntry("roles", List.of("MODERATOR"))
                .containsEntry("iss", "talkback-local-stack");
        assertThat(admin).containsEntry("aud", "talkback-moderation").containsEntry("roles", List.of("ADMIN"));
        assertThat(notificationAdmin)
                .containsEntry("aud", "talkback-notification")
                .containsEntry("roles", List.of("ADMIN"));
        for (Map<String, Object> claims : List.of(moderator, admin, notificationAdmin)) {
            long lifetime = ((Number) claims.get("exp")).longValue() - ((Number) claims.get("iat")).longValue();
            assertThat(lifetime).isEqualTo(8 * 3600);
        }

        LocalStack.LocalKeys second = new LocalStack(tmp).localTokens();
        assertThat(second.moderation()).isNotEqualTo(first.moderation());
        assertThat(second.notification()).isNotEqualTo(first.notification());
        assertThat(second.toString()).doesNotContain(second.moderation());
    }

    /** The token's claims, after checking its HS256 signature with {@code key}. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> claims(Path tokenFile, String key) throws Exception {
        String[] parts = Files.readString(tokenFile).split("\\.");
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(
                key.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] signature =
                mac.doFinal((parts[0] + "." + parts[1]).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThat(java.util.Base64.getUrlDecoder().decode(parts[2])).isEqualTo(signature);
        return tools.jackson.databind.json.JsonMapper.builder()
                .build()
                .readValue(java.util.Base64.getUrlDecoder().decode(parts[1]), Map.class);
    }

    @Test
    void kafkaConfigurationIsASingleKraftNodeWithSixPartitions() {
        String properties = KafkaBroker.serverProperties(
                new KafkaBroker.Settings(tmp, "localhost", 9092, 9093, "", List.of()), tmp.resolve("data"));
        assertThat(properties)
                .contains("process.roles=broker,controller")
                .contains("controller.quorum.voters=1@localhost:9093")
                .contains("listeners=PLAINTEXT://localhost:9092,CONTROLLER://localhost:9093")
                .contains("num.partitions=6")
                .contains("offsets.topic.replication.factor=1")
                .contains("transaction.state.log.replication.factor=1");
    }

    @Test
    void writesJsonWithEscapes() {
        assertThat(Json.write(List.of(Map.of("subject", "say \"hi\"\n\\ \u0001"), List.of(), 3, true)))
                .isEqualTo("[{\"subject\":\"say \\\"hi\\\"\\n\\\\ \\u0001\"},[],3,true]");
        assertThat(Json.write(null)).isEqualTo("null");
    }
}
