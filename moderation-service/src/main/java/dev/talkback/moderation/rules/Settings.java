package dev.talkback.moderation.rules;

import java.time.Instant;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import org.jspecify.annotations.Nullable;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * Moderation settings of the site ({@code id = "site"}) or of one article ({@code id = "article:<articleId>"}). In
 * article settings an absent ({@code null}) value means "as the site"; in site settings it means the service default
 * ({@code moderation.*} properties, mode {@code POST}, open).
 *
 * @param id           {@code site} or {@code article:<articleId>}
 * @param mode         {@code PRE}: every comment waits for a moderator unless rejected; {@code POST}: published unless a
 *                     rule objects
 * @param closed       a closed article takes no more comments (they are rejected)
 * @param thresholds   spam-score thresholds for the engine (stored for the engine that scores; not applied yet)
 * @param bannedWords  words that reject a comment (added to the site's for an article)
 * @param suspectWords words that hold a comment for a moderator
 * @param maxLinks     links allowed before a comment is held
 * @param updatedAt    when last changed
 * @param updatedBy    who last changed it
 */
@Document(collection = "settings")
public record Settings(
        @Id String id,
        @Nullable String mode,
        @Nullable Boolean closed,
        @Nullable Thresholds thresholds,
        @Nullable List<String> bannedWords,
        @Nullable List<String> suspectWords,
        @Nullable Integer maxLinks,
        @Nullable Instant updatedAt,
        @Nullable String updatedBy) {

    static final String SITE = "site";

    static String articleId(String articleId) {
        return "article:" + articleId;
    }

    /**
     * Spam-score thresholds, between 0 and 1: at or above {@code hold} a comment is held, at or above {@code reject}
     * it is rejected.
     */
    public record Thresholds(
            @NotNull @DecimalMin("0.0") @DecimalMax("1.0") Double hold,
            @NotNull @DecimalMin("0.0") @DecimalMax("1.0") Double reject) {

        @AssertTrue(message = "hold must not be greater than reject")
        boolean isOrdered() {
            return hold == null || reject == null || hold <= reject;
        }
    }

    /** The body of {@code PUT .../settings}; every member optional (absent = default, or as the site). */
    record Request(
            @Nullable @Pattern(regexp = "PRE|POST", message = "must be PRE or POST") String mode,
            @Nullable Boolean closed,
            @Nullable @Valid Thresholds thresholds,
            @Nullable @Size(max = 500) List<@NotBlank @Size(max = 100) String> bannedWords,
            @Nullable @Size(max = 500) List<@NotBlank @Size(max = 100) String> suspectWords,
            @Nullable @PositiveOrZero @Max(1000) Integer maxLinks) {

        Settings toSettings(String id, Instant at, String by) {
            return new Settings(id, mode, closed, thresholds, normalised(bannedWords), normalised(suspectWords),
                    maxLinks, at, by);
        }

        private static @Nullable List<String> normalised(@Nullable List<String> words) {
            return words == null ? null
                    : words.stream().map(w -> w.strip().toLowerCase(java.util.Locale.ROOT)).distinct().toList();
        }
    }
}
