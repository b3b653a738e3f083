package dev.talkback.engine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A comment read for the abuse model: its words with their roles (from {@code abuse/lexicon.tsv}), which of them are
 * negated ("I don't hate ...") or reported ("stop calling them ...", words in quotation marks), the hashed features
 * the learned part scores, and the evidence of the rules: a name called, a person or a group called something, a
 * verb of violence aimed at someone, a slur, vulgarity. One pass over the words, each looked up a bounded number of
 * times, so linear in the text.
 */
final class AbuseText {

    static final int BITS = 18;
    static final int DIMENSIONS = 1 << BITS;
    private static final int MASK = DIMENSIONS - 1;
    /** Words looked at: a comment's abuse shows in its first few hundred words. */
    private static final int MAX_WORDS = 2_000;

    // What a word can be; one word may be several (bitch: insult and obscene).
    static final int IDENTITY = 1;
    static final int SLUR = 1 << 1;
    static final int INSULT = 1 << 2;
    static final int DEHUMAN = 1 << 3;
    static final int NEGADJ = 1 << 4;
    static final int HOSTILE = 1 << 5;
    static final int VIOLENCE = 1 << 6;
    static final int HARMED = 1 << 7;
    static final int OBSCENE = 1 << 8;
    static final int SEXUAL = 1 << 9;
    static final int PERSON = 1 << 10;
    static final int NEGATOR = 1 << 11;
    static final int FRAME = 1 << 12;
    static final int REPORT = 1 << 13;
    static final int SLIGHT = 1 << 14;
    /** The second or later word of a phrase that starts before it. */
    static final int CONTINUED = 1 << 15;

    private static final String[] KINDS = {
        "identity",
        "slur",
        "insult",
        "dehuman",
        "negadj",
        "hostile",
        "violence",
        "harmed",
        "obscene",
        "sexual",
        "person",
        "negator",
        "frame",
        "report",
        "slight"
    };

    private static final Lexicon LEXICON = Lexicon.load();

    /** Words that may stand between a copula and the adjective or noun it predicates. */
    private static final java.util.Set<String> FILLERS = java.util.Set.of(
            "a",
            "an",
            "the",
            "so",
            "such",
            "really",
            "very",
            "totally",
            "just",
            "utterly",
            "completely",
            "most",
            "truly",
            "absolutely",
            "incredibly",
            "fucking",
            "bloody",
            "damn",
            "complete",
            "total",
            "real",
            "absolute",
            "utter",
            "big",
            "little",
            "bunch",
            "of",
            "pack",
            "being",
            "all",
            "some",
            "too",
            "quite",
            "rather",
            "extremely",
            "pretty",
            "like");

    private static final java.util.Set<String> COPULAS = java.util.Set.of(
            "is", "are", "was", "were", "be", "been", "being", "am", "re", "s", "m", "look", "looks", "seem", "seems",
            "sound", "sounds", "act", "acting");
    private static final java.util.Set<String> SECOND_PERSON =
            java.util.Set.of("you", "u", "ya", "ye", "your", "ur", "yourself", "yourselves", "youre", "yall");
    private static final java.util.Set<String> CLAUSE_WORDS =
            java.util.Set.of("but", "although", "though", "however", "yet", "because", "while", "whereas");
    private static final java.util.Set<String> DETERMINERS = java.util.Set.of(
            "all", "the", "those", "these", "every", "any", "some", "my", "our", "his", "her", "their", "fucking",
            "damn", "bloody", "each", "of", "one", "last", "single");
    private static final java.util.Set<String> DIE = java.util.Set.of("die", "rot");
    private static final java.util.Set<String> PASSIVE = java.util.Set.of("be", "get", "gets", "got", "getting");
    /** A sentence that opens with one of these reports what others say, up to its verb ("Saying X is hateful"). */
    private static final java.util.Set<String> REPORTING_GERUNDS = java.util.Set.of(
            "saying",
            "calling",
            "claiming",
            "suggesting",
            "implying",
            "telling",
            "writing",
            "posting",
            "shouting",
            "chanting",
            "tweeting");

    private static final java.util.Set<String> DEMONSTRATIVES =
            java.util.Set.of("those", "these", "such", "you", "them", "that", "this");
    /** What makes "die" a wish for someone: "you should die", "I hope they die", "go die". */
    private static final java.util.Set<String> DEATH_WISH =
            java.util.Set.of("should", "hope", "wish", "deserve", "deserves", "must", "ought", "go", "just", "please");

    final String[] words;
    final int[] kinds;
    final boolean[] negated;
    final boolean[] reported;
    final int[] sentence;
    final int count;
    /** Whether a word of the text names a group (identity) or is a slur. */
    final boolean mentionsIdentity;

    final boolean secondPerson;
    /** Hashed features and their values for the learned part (L2-normalised), and the word each came from. */
    final int[] features;

    final float[] values;
    final int[] featureWord;
    final boolean[] featurePair;
    final int featureCount;
    /** Letters in the pieces of words the learned part sees. */
    private static final int GRAM = 4;
    /** The rules' log-odds per category, and the phrases that earned them, strongest first. */
    final Map<AbuseCategory, Double> ruleEvidence = new EnumMap<>(AbuseCategory.class);

    final Map<AbuseCategory, List<Hit>> hits = new EnumMap<>(AbuseCategory.class);
    /** Whether the text aims anything at a person: you, a group, someone called names. */
    boolean targeted;
    /** Whether it swears (not negated, not quoted). */
    final boolean swears;

    /** A rule's finding: the words that show it and how strongly. */
    record Hit(String phrase, double strength) {}

    private AbuseText(List<String> tokens, List<int[]> marks) {
        count = Math.min(tokens.size(), MAX_WORDS);
        words = new String[count];
        kinds = new int[count];
        negated = new boolean[count];
        reported = new boolean[count];
        sentence = new int[count];
        boolean[] quoted = new boolean[count];
        for (int i = 0; i < count; i++) {
            words[i] = tokens.get(i);
            sentence[i] = marks.get(i)[0];
            quoted[i] = marks.get(i)[1] != 0;
        }
        boolean identity = false;
        boolean you = false;
        for (int i = 0; i < count; i++) {
            int matched = LEXICON.match(words, i, count, sentence, kinds);
            if (matched > 1) {
                for (int k = 1; k < matched; k++) {
                    kinds[i + k] |= CONTINUED;
                }
            }
            identity |= (kinds[i] & (IDENTITY | SLUR)) != 0;
            you |= SECOND_PERSON.contains(words[i]);
        }
        mentionsIdentity = identity;
        secondPerson = you;
        scope(quoted);
        int letters = 0;
        for (int i = 0; i < count; i++) {
            letters += words[i].length();
        }
        int[] f = new int[count * 5 + letters + 32];
        int[] fw = new int[f.length];
        boolean[] fp = new boolean[f.length];
        int n = 0;
        int previous = 0;
        int previousSentence = -1;
        for (int i = 0; i < count; i++) {
            if ((kinds[i] & CONTINUED) != 0) {
                continue;
            }
            // quoted and reported words are someone else's; a group's name is never evidence (the learned part
            // would otherwise learn which groups the training corpus attacked)
            if (reported[i] || (kinds[i] & (IDENTITY | SLUR)) == IDENTITY || (kinds[i] & REPORT) != 0) {
                previousSentence = -1;
                continue;
            }
            int h = mix(featureName(i).hashCode());
            f[n] = h & MASK;
            fw[n++] = i;
            if (previousSentence == sentence[i]) {
                f[n] = mix(previous * 31 + h) & MASK;
                fw[n] = i;
                fp[n++] = true;
            }
            // the word's four-letter pieces (with its edges): "idiotic", "stupidity" and "fuckin" share evidence
            // with the words the training corpus spelt otherwise
            String w = words[i];
            if (w.length() >= 4) {
                for (int c = -1; c + GRAM <= w.length() + 1; c++) {
                    int g = 0x3c;
                    for (int k = c; k < c + GRAM; k++) {
                        g = g * 31 + (k < 0 || k >= w.length() ? '|' : w.charAt(k));
                    }
                    f[n] = mix(g ^ 0x5f3759df) & MASK;
                    fw[n++] = i;
                }
            }
            previous = h;
            previousSentence = sentence[i];
        }
        rules();
        int signals = n;
        for (AbuseCategory c : AbuseCategory.values()) {
            if (ruleEvidence.getOrDefault(c, 0.0) > 0) {
                f[n] = mix(("rule:" + c.id()).hashCode()) & MASK;
                fw[n++] = -1;
            }
        }
        if (targeted) {
            f[n] = mix("rule:targeted".hashCode()) & MASK;
            fw[n++] = -1;
        }
        // which kinds of listed words the comment uses (not negated, not quoted): the learned part weighs kinds of
        // words, which carry over from one place of the web to another better than the words themselves
        int used = 0;
        for (int i = 0; i < count; i++) {
            if (!reported[i] && !negated[i]) {
                used |= kinds[i] & (SLUR | INSULT | SLIGHT | DEHUMAN | NEGADJ | OBSCENE | SEXUAL | VIOLENCE | HOSTILE);
            }
        }
        swears = (used & OBSCENE) != 0;
        for (int bit = 0; bit < KINDS.length; bit++) {
            if ((used & (1 << bit)) != 0 && n < f.length) {
                f[n] = mix(("uses:" + KINDS[bit]).hashCode()) & MASK;
                fw[n++] = -1;
            }
        }
        featureCount = n;
        features = java.util.Arrays.copyOf(f, n);
        featureWord = java.util.Arrays.copyOf(fw, n);
        featurePair = java.util.Arrays.copyOf(fp, n);
        values = new float[n];
        float value = signals == 0 ? 0 : (float) (1 / Math.sqrt(signals));
        for (int k = 0; k < n; k++) {
            values[k] = k < signals ? value : 0.5f;
        }
    }

    static AbuseText of(NormalizedText text) {
        return of(text.prose());
    }

    /** Reads lower-cased, look-alike-folded text (as {@link NormalizedText} gives it). */
    static AbuseText of(String text) {
        List<String> tokens = new ArrayList<>();
        List<int[]> marks = new ArrayList<>();
        Tokenizer.split(text, tokens, marks, MAX_WORDS);
        Tokenizer.joinSpelledOut(tokens, marks, LEXICON);
        return new AbuseText(tokens, marks);
    }

    private String featureName(int i) {
        String w = words[i];
        if (SECOND_PERSON.contains(w)) {
            w = w.startsWith("your") || w.equals("ur") ? "your" : "you";
        }
        return negated[i] ? "~" + w : w;
    }

    /**
     * Negation reaches the next three words of its clause; a report ("stop calling them", "the word") the rest of
     * its clause; quotation marks what they enclose.
     */
    private void scope(boolean[] quoted) {
        int negation = 0;
        boolean report = false;
        int reportedUntil = -1;
        for (int i = 0; i < count; i++) {
            if ((i == 0 || sentence[i] != sentence[i - 1]) && REPORTING_GERUNDS.contains(words[i])) {
                // a gerund subject takes "is" or "was": what it reports runs up to the sentence's last one
                for (int k = i + 1; k < count && sentence[k] == sentence[i]; k++) {
                    if (words[k].equals("is") || words[k].equals("was")) {
                        reportedUntil = k;
                    }
                }
            }
            if (i < reportedUntil) {
                reported[i] = true;
                continue;
            }
            boolean boundary = i > 0 && sentence[i] != sentence[i - 1] || CLAUSE_WORDS.contains(words[i]);
            if (boundary) {
                negation = 0;
                report = false;
            }
            negated[i] = negation > 0;
            reported[i] = report || quoted[i];
            if (negation > 0) {
                negation--;
            }
            if ((kinds[i] & NEGATOR) != 0) {
                negation = 3;
            }
            if ((kinds[i] & REPORT) != 0 && !reported[i]) {
                // "you called me an idiot" reports; "I call you an idiot" does not
                int next = i + 1 < count && sentence[i + 1] == sentence[i] ? i + 1 : -1;
                boolean aimedAtReader = next >= 0 && SECOND_PERSON.contains(words[next]);
                if (!aimedAtReader) {
                    report = true;
                }
            }
        }
    }

    /** The rules: each adds log-odds to a category and remembers the words that showed it. */
    private void rules() {
        for (int i = 0; i < count; i++) {
            int k = kinds[i];
            if (reported[i] || negated[i] || (k & CONTINUED) != 0) {
                continue;
            }
            if (DIE.contains(words[i]) && wishedDeath(i)) {
                add(AbuseCategory.THREAT, 4.0, Math.max(0, i - 3), i);
                targeted = true;
            }
            if (k == 0) {
                continue;
            }
            if ((k & SLUR) != 0) {
                add(AbuseCategory.IDENTITY, 4.0, i, i);
                add(AbuseCategory.INSULT, 1.5, i, i);
                targeted = true;
            }
            if ((k & INSULT) != 0) {
                boolean atYou = nearYou(i);
                add(AbuseCategory.INSULT, atYou ? 3.5 : 2.5, atYou ? youBefore(i) : i, i);
                targeted = true;
                int group = identityNear(i);
                if (group >= 0) {
                    add(AbuseCategory.IDENTITY, 3.0, Math.min(group, i), Math.max(group, i));
                }
            }
            if ((k & SLIGHT) != 0 && (k & INSULT) == 0) {
                int target = nearYou(i) ? youBefore(i) : predicatedOf(i);
                if (target >= 0) {
                    add(AbuseCategory.INSULT, 3.0, Math.min(target, i), Math.max(target, i));
                    targeted = true;
                }
            }
            if ((k & DEHUMAN) != 0) {
                int target = predicatedOf(i);
                if (target >= 0) {
                    boolean group = group(target);
                    add(
                            group ? AbuseCategory.IDENTITY : AbuseCategory.INSULT,
                            group ? 4.5 : 3.0,
                            Math.min(target, i),
                            Math.max(target, i));
                    targeted = true;
                }
            }
            if ((k & NEGADJ) != 0) {
                int target = predicatedOf(i);
                if (target >= 0) {
                    add(AbuseCategory.INSULT, 3.0, Math.min(target, i), Math.max(target, i));
                    if (group(target)) {
                        add(AbuseCategory.IDENTITY, 4.5, Math.min(target, i), Math.max(target, i));
                    }
                    targeted = true;
                }
            }
            if ((k & HOSTILE) != 0) {
                int object = objectOf(i);
                if (object >= 0) {
                    if (group(object)) {
                        add(AbuseCategory.IDENTITY, 4.5, i, object);
                    } else {
                        add(AbuseCategory.INSULT, 2.5, i, object);
                    }
                    targeted = true;
                }
            }
            if ((k & VIOLENCE) != 0) {
                int object = objectOf(i);
                if (object >= 0) {
                    boolean framed = framed(i);
                    add(AbuseCategory.THREAT, framed ? 4.5 : 3.0, framed ? frameStart(i) : i, object);
                    if (group(object)) {
                        add(AbuseCategory.IDENTITY, 4.0, i, object);
                    }
                    targeted = true;
                }
            }
            if ((k & HARMED) != 0 && i >= 2 && PASSIVE.contains(words[i - 1]) && framed(i - 1)) {
                int subject = subjectBefore(i - 1);
                if (subject >= 0) {
                    add(AbuseCategory.THREAT, 4.5, subject, i);
                    if (group(subject)) {
                        add(AbuseCategory.IDENTITY, 4.0, subject, i);
                    }
                    targeted = true;
                }
            }
            if ((k & SEXUAL) != 0) {
                add(AbuseCategory.OBSCENE, 2.5, i, i + phraseLength(i) - 1);
                add(AbuseCategory.INSULT, 3.0, i, i + phraseLength(i) - 1);
                targeted = true;
            } else if ((k & OBSCENE) != 0) {
                add(AbuseCategory.OBSCENE, 1.5, i, i);
            }
        }
        if (words.length > 0
                && (words[0].equals("kys")
                        || count >= 3
                                && words[0].equals("kill")
                                && (words[1].equals("yourself") || words[1].equals("yourselves")))) {
            add(AbuseCategory.THREAT, 4.5, 0, Math.min(1, count - 1));
            targeted = true;
        }
    }

    private void add(AbuseCategory category, double strength, int from, int to) {
        // evidence adds up with diminishing returns: a second insult says less than the first
        double before = ruleEvidence.getOrDefault(category, 0.0);
        ruleEvidence.put(category, before == 0 ? strength : Math.max(before, strength) + 0.5);
        StringBuilder phrase = new StringBuilder();
        for (int k = Math.max(0, from); k <= to && k < count && k - from < 6; k++) {
            if (phrase.length() > 0) {
                phrase.append(' ');
            }
            phrase.append(words[k]);
        }
        List<Hit> list = hits.computeIfAbsent(category, c -> new ArrayList<>(2));
        if (list.size() < 8) {
            list.add(new Hit(phrase.toString(), strength));
        }
    }

    private int phraseLength(int i) {
        int n = 1;
        while (i + n < count && (kinds[i + n] & CONTINUED) != 0) {
            n++;
        }
        return n;
    }

    /** "you should die", "I hope they rot", "go die": a wish within three words before, aimed at a person. */
    private boolean wishedDeath(int die) {
        boolean wish = false;
        boolean person = false;
        for (int k = die - 1; k >= 0 && die - k <= 4 && sentence[k] == sentence[die]; k--) {
            wish |= DEATH_WISH.contains(words[k]);
            person |= SECOND_PERSON.contains(words[k])
                    || (kinds[k] & (IDENTITY | SLUR | PERSON)) != 0 && !words[k].equals("people");
        }
        return wish && (person || die >= 1 && words[die - 1].equals("go"));
    }

    /** "you idiot", "you are an idiot", "your stupid ...": the second person within three words before. */
    private boolean nearYou(int i) {
        return youBefore(i) != i;
    }

    private int youBefore(int i) {
        for (int k = i - 1; k >= 0 && k >= i - 4 && sentence[k] == sentence[i]; k--) {
            if (SECOND_PERSON.contains(words[k])) {
                return k;
            }
        }
        return i;
    }

    private int identityNear(int i) {
        for (int k = Math.max(0, i - 3); k < count && k <= i + 3; k++) {
            if (k != i && sentence[k] == sentence[i] && (kinds[k] & IDENTITY) != 0 && !reported[k]) {
                return k;
            }
        }
        return -1;
    }

    /**
     * The person or group a word is said of: "X is/are (a) WORD", "being X is WORD", "you WORD", or WORD followed
     * by a person or group ("filthy X", "stupid people"); -1 when it is said of nothing personal ("the plan is
     * terrible", "a terrible decision").
     */
    private int predicatedOf(int i) {
        int k = i + 1;
        while (k < count && sentence[k] == sentence[i] && k <= i + 2 && (kinds[k] & (NEGADJ | CONTINUED)) != 0) {
            k++;
        }
        if (k < count
                && sentence[k] == sentence[i]
                && (kinds[k] & (PERSON | IDENTITY | INSULT | SLUR)) != 0
                && !reported[k]) {
            return k;
        }
        k = i - 1;
        while (k >= 0
                && sentence[k] == sentence[i]
                && (FILLERS.contains(words[k]) || (kinds[k] & NEGADJ) != 0 || (kinds[k] & CONTINUED) != 0)
                && i - k <= 5) {
            k--;
        }
        if (k >= 0 && sentence[k] == sentence[i] && SECOND_PERSON.contains(words[k])) {
            return k;
        }
        if (k >= 0 && sentence[k] == sentence[i] && COPULAS.contains(words[k])) {
            return subjectBefore(k);
        }
        if (i > 0
                && sentence[i - 1] == sentence[i]
                && DEMONSTRATIVES.contains(words[i - 1])
                && (kinds[i] & NEGADJ) == 0) {
            // "those rats", "such vermin": said of the people the sentence is about, or of the reader
            for (int g = 0; g < count; g++) {
                if (sentence[g] == sentence[i] && g != i && (group(g) || (kinds[g] & PERSON) != 0) && !reported[g]) {
                    return g;
                }
            }
        }
        return youAreIn(sentence[i], i);
    }

    /** "What a pathetic excuse for a journalist you are": the sentence says what the reader is. */
    private int youAreIn(int s, int word) {
        for (int g = Math.max(0, word - 12); g + 1 < count && g <= word + 12; g++) {
            if (sentence[g] == s
                            && sentence[g + 1] == s
                            && (words[g].equals("you") || words[g].equals("u"))
                            && (words[g + 1].equals("are") || words[g + 1].equals("r"))
                    || sentence[g] == s && words[g].equals("youre")) {
                return g;
            }
        }
        return -1;
    }

    /** Whether the target names a group: a group's name, or people named by one ("gay people", "black women"). */
    private boolean group(int target) {
        return (kinds[target] & IDENTITY) != 0
                || (kinds[target] & PERSON) != 0 && target > 0 && (kinds[target - 1] & IDENTITY) != 0;
    }

    /** The person or group just before a verb ("they are", "X people are", "being X is", "you should"). */
    private int subjectBefore(int verb) {
        for (int k = verb - 1; k >= 0 && verb - k <= 4 && sentence[k] == sentence[verb]; k--) {
            if ((kinds[k] & CONTINUED) != 0) {
                continue;
            }
            if ((kinds[k] & (PERSON | IDENTITY | INSULT | SLUR)) != 0 && !reported[k]) {
                return k;
            }
        }
        return -1;
    }

    /** The person or group a verb is done to: next, or after a determiner or two ("kill all the X", "hate you"). */
    private int objectOf(int verb) {
        int k = verb + phraseLength(verb);
        while (k < count && k <= verb + 4 && sentence[k] == sentence[verb] && DETERMINERS.contains(words[k])) {
            k++;
        }
        if (k < count
                && sentence[k] == sentence[verb]
                && (kinds[k] & (PERSON | IDENTITY | SLUR | INSULT)) != 0
                && !reported[k]) {
            return k;
        }
        return -1;
    }

    /** A verb said as a wish, plan or call: "will", "should", "let's", "hope", or first in its sentence. */
    private boolean framed(int verb) {
        return frameStart(verb) != verb || verb == 0 || sentence[verb - 1] != sentence[verb];
    }

    private int frameStart(int verb) {
        for (int k = verb - 1; k >= 0 && verb - k <= 4 && sentence[k] == sentence[verb]; k--) {
            if ((kinds[k] & FRAME) != 0 && !words[k].equals("to")) {
                return k;
            }
        }
        return verb;
    }

    static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ (h >>> 16);
    }

    /** The word lists, by first word; a phrase is matched word by word from its first. */
    static final class Lexicon {
        private final Map<String, Integer> single = new HashMap<>();
        private final Map<String, List<Phrase>> phrases = new HashMap<>();
        /** Misspellings of the longer words (one letter dropped, two swapped) and the word they stand for. */
        private final Map<String, String> misspelt = new HashMap<>();

        private record Phrase(String[] words, int kinds) {}

        static Lexicon load() {
            Lexicon lexicon = new Lexicon();
            try (InputStream in = AbuseText.class.getResourceAsStream("abuse/lexicon.tsv")) {
                if (in == null) {
                    throw new IllegalStateException("abuse/lexicon.tsv is missing");
                }
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (line.isBlank() || line.startsWith("#")) {
                        continue;
                    }
                    int tab = line.indexOf('\t');
                    int kind = kind(line.substring(0, tab));
                    lexicon.add(line.substring(tab + 1).trim().toLowerCase(Locale.ROOT), kind);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            lexicon.addMisspellings();
            return lexicon;
        }

        private static int kind(String name) {
            for (int i = 0; i < KINDS.length; i++) {
                if (KINDS[i].equals(name)) {
                    return 1 << i;
                }
            }
            throw new IllegalStateException("unknown kind in abuse/lexicon.tsv: " + name);
        }

        private void add(String entry, int kind) {
            String[] parts = entry.split(" ");
            if (parts.length == 1) {
                single.merge(entry, kind, (a, b) -> a | b);
            } else {
                phrases.computeIfAbsent(parts[0], w -> new ArrayList<>()).add(new Phrase(parts, kind));
            }
        }

        /** Words long enough that a slip of one letter still says them; the short ones would hit ordinary words. */
        private void addMisspellings() {
            int spellable = INSULT | SLUR | OBSCENE | NEGADJ | DEHUMAN;
            for (Map.Entry<String, Integer> e : single.entrySet()) {
                String w = e.getKey();
                if ((e.getValue() & spellable) == 0 || (e.getValue() & (IDENTITY | PERSON)) != 0 || w.length() < 5) {
                    continue;
                }
                for (int i = 0; i + 1 < w.length(); i++) {
                    String swapped = w.substring(0, i) + w.charAt(i + 1) + w.charAt(i) + w.substring(i + 2);
                    misspelt.putIfAbsent(swapped, w);
                }
                if (w.length() >= 6) {
                    for (int i = 1; i < w.length(); i++) {
                        misspelt.putIfAbsent(w.substring(0, i) + w.substring(i + 1), w);
                    }
                }
            }
            misspelt.keySet().removeAll(single.keySet());
        }

        /** Marks the kinds of the word at {@code i} (and of a phrase starting there); returns the phrase's length. */
        int match(String[] words, int i, int count, int[] sentence, int[] kinds) {
            List<Phrase> candidates = phrases.get(words[i]);
            if (candidates != null) {
                for (Phrase p : candidates) {
                    int n = p.words().length;
                    if (i + n > count || sentence[i + n - 1] != sentence[i]) {
                        continue;
                    }
                    boolean all = true;
                    for (int k = 1; k < n && all; k++) {
                        all = p.words()[k].equals(words[i + k]);
                    }
                    if (all) {
                        kinds[i] |= p.kinds() | single.getOrDefault(words[i], 0);
                        return n;
                    }
                }
            }
            Integer kind = single.get(words[i]);
            if (kind == null && words[i].length() >= 5) {
                String meant = misspelt.get(words[i]);
                if (meant != null) {
                    words[i] = meant;
                    kind = single.get(meant);
                }
            }
            if (kind == null && words[i].indexOf('*') >= 0) {
                kind = masked(words, i);
            }
            if (kind != null) {
                kinds[i] |= kind;
            }
            return 1;
        }

        /** "f*ck", "sh*t": a word with stars matches the one lexicon word of its length that fits. */
        private Integer masked(String[] words, int i) {
            String w = words[i];
            for (Map.Entry<String, Integer> e : single.entrySet()) {
                String candidate = e.getKey();
                if (candidate.length() != w.length() || (e.getValue() & (OBSCENE | INSULT | SLUR)) == 0) {
                    continue;
                }
                boolean fits = true;
                for (int k = 0; k < w.length() && fits; k++) {
                    fits = w.charAt(k) == '*' || w.charAt(k) == candidate.charAt(k);
                }
                if (fits) {
                    words[i] = candidate;
                    return e.getValue();
                }
            }
            return null;
        }

        boolean contains(String word) {
            return single.containsKey(word) || misspelt.containsKey(word);
        }
    }

    /**
     * Splits text into words and marks each with its sentence and whether it is quoted. Letters and digits make
     * words, with l33t digits and signs inside words read as letters and runs of three or more of one letter
     * squeezed; a star inside a word is kept (a masked letter); three or more single letters in a row are read as
     * one spelled-out word ({@code i d i o t}); {@code don't} is one word ({@code dont}).
     */
    static final class Tokenizer {

        private Tokenizer() {}

        static void split(String text, List<String> tokens, List<int[]> marks, int max) {
            int sentence = 0;
            boolean quoted = false;
            StringBuilder word = new StringBuilder();
            int n = text.length();
            for (int i = 0; i <= n && tokens.size() < max; i++) {
                char c = i < n ? text.charAt(i) : ' ';
                boolean nextIsLetter = i + 1 < n && Character.isLetter(text.charAt(i + 1));
                boolean inWord = Character.isLetterOrDigit(c)
                        || (c == '*' || c == '@' || c == '$') && (word.length() > 0 || nextIsLetter)
                        || (c == '\'' || c == '’' || c == '!') && word.length() > 0 && nextIsLetter;
                if (inWord) {
                    if (c != '\'' && c != '’') {
                        word.append(c);
                    }
                    continue;
                }
                if (word.length() > 0) {
                    tokens.add(squeeze(word));
                    marks.add(new int[] {sentence, quoted ? 1 : 0});
                    word.setLength(0);
                }
                if (c == '"' || c == '`' || c == '“' || c == '”' || c == '«' || c == '»' || c == '„') {
                    if (c == '`' && i + 1 < n && text.charAt(i + 1) == '`') {
                        i++; // ``quoted'' as some keyboards and wikis write it
                    }
                    quoted = c == '"' || c == '`' ? !quoted : c == '“' || c == '«' || c == '„';
                } else if (c == '!'
                        || c == '?'
                        || c == ';'
                        || c == '\n'
                        || c == '.' && (i + 1 >= n || Character.isWhitespace(text.charAt(i + 1)))) {
                    sentence++;
                    quoted = false;
                }
            }
        }

        /**
         * "i d i o t", "f.u.c.k": three or more single letters in a row are read as one word when that word is in
         * the lexicon ("u r a ..." stays as it is).
         */
        static void joinSpelledOut(List<String> tokens, List<int[]> marks, Lexicon lexicon) {
            int i = 0;
            while (i < tokens.size()) {
                int j = i;
                while (j < tokens.size()
                        && tokens.get(j).length() == 1
                        && Character.isLetter(tokens.get(j).charAt(0))
                        && marks.get(j)[0] == marks.get(i)[0]) {
                    j++;
                }
                if (j - i >= 3) {
                    StringBuilder joined = new StringBuilder();
                    for (int k = i; k < j; k++) {
                        joined.append(tokens.get(k));
                    }
                    String w = joined.toString();
                    // "a m o r o n": the first letter may be a word of its own
                    int from = lexicon.contains(w) ? i : j - i >= 4 && lexicon.contains(w.substring(1)) ? i + 1 : -1;
                    if (from >= 0) {
                        tokens.subList(from + 1, j).clear();
                        marks.subList(from + 1, j).clear();
                        tokens.set(from, w.substring(from - i));
                        j = from + 1;
                    }
                }
                i = Math.max(j, i + 1);
            }
        }

        private static char leet(char c) {
            return switch (c) {
                case '0' -> 'o';
                case '1' -> 'i';
                case '3' -> 'e';
                case '4' -> 'a';
                case '5' -> 's';
                case '7' -> 't';
                case '@' -> 'a';
                case '$' -> 's';
                case '!' -> 'i';
                default -> c;
            };
        }

        /**
         * Runs of three or more of one letter count as one ("fuuuck"); in a word with a letter, l33t digits and signs
         * are letters ("1d10t"); a word of digits only stays as it is.
         */
        private static String squeeze(StringBuilder s) {
            boolean hasLetter = false;
            for (int i = 0; i < s.length() && !hasLetter; i++) {
                hasLetter = Character.isLetter(s.charAt(i));
            }
            StringBuilder out = new StringBuilder(s.length());
            int i = 0;
            while (i < s.length()) {
                char c = hasLetter ? leet(s.charAt(i)) : s.charAt(i);
                int j = i;
                while (j < s.length() && (hasLetter ? leet(s.charAt(j)) : s.charAt(j)) == c) {
                    j++;
                }
                int run = j - i;
                for (int k = 0; k < (run >= 3 ? 1 : run); k++) {
                    out.append(c);
                }
                i = j;
            }
            return out.toString();
        }
    }
}
