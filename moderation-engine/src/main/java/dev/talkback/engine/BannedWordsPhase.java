package dev.talkback.engine;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** Rejects a comment that contains a banned word, matched on whole normalised words. */
final class BannedWordsPhase implements Phase {

    static final String RULE_ID = "words.banned";

    private final Set<String> bannedWords;

    BannedWordsPhase(Set<String> bannedWords) {
        this.bannedWords = bannedWords.stream()
                .map(word -> NormalizedText.of(word).text())
                .filter(word -> !word.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public Objection judge(NormalizedText text, Submission submission) {
        Set<String> found = new LinkedHashSet<>();
        for (String word : text.words()) {
            if (bannedWords.contains(word)) {
                found.add(word);
            }
        }
        if (found.isEmpty()) {
            return null;
        }
        return new Objection(Verdict.REJECT,
                new Reason(RULE_ID, "The comment contains banned words: " + String.join(", ", found) + "."),
                "The comment contains words that are not allowed on this site.");
    }

    static String describe(Set<String> words) {
        return words.stream().map(w -> w.toLowerCase(Locale.ROOT)).sorted().collect(Collectors.joining(","));
    }
}
