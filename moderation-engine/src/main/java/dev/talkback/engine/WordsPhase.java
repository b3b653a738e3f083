package dev.talkback.engine;

import java.util.Set;

/** The site's banned words reject a comment; its suspect words hold it. */
final class WordsPhase implements Phase {

    static final String BANNED = "words.banned";
    static final String SUSPECT = "words.suspect";

    @Override
    public String name() {
        return "words";
    }

    @Override
    public void judge(DecisionInput input, Judgement judgement) {
        Set<String> banned = input.bannedWords.find(input.text);
        if (!banned.isEmpty()) {
            judgement.object(
                    Verdict.REJECT,
                    BANNED,
                    "The comment contains banned words: " + String.join(", ", banned) + ".",
                    "The comment contains words that are not allowed on this site.");
            return;
        }
        Set<String> suspect = input.suspectWords.find(input.text);
        if (!suspect.isEmpty()) {
            judgement.object(
                    Verdict.HOLD,
                    SUSPECT,
                    "The comment contains words to review: " + String.join(", ", suspect) + ".",
                    null);
        }
    }
}
