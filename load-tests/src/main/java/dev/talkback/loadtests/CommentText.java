package dev.talkback.loadtests;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Comment texts for load: conversational (what the spam model scores as ham), and different enough from each other
 * that moderation's duplicate rule (SimHash of word 3-shingles, across authors within 24 h) does not take a load run
 * for a campaign: each text is two or three sentences, each a template with several slots filled at random. No
 * links, no banned or suspect words. Checked with the shipped spam model and the engine's fingerprint by
 * {@code CommentTextCheck} (test sources).
 */
public final class CommentText {

    private static final String[] OPENERS = {
        "Honestly",
        "Well",
        "To be fair",
        "Funny enough",
        "Right",
        "Hmm",
        "Oh",
        "As a parent",
        "Speaking as a nurse",
        "As someone who lives nearby",
        "For what it's worth",
        "Not going to lie",
        "Haha",
        "Ok so",
        "Sorry but",
        "Just saying",
        "Yes",
        "No",
        "Actually",
        "Anyway",
    };
    private static final String[] PLACES = {
        "library",
        "station",
        "harbour",
        "market",
        "school",
        "old mill",
        "bakery on Hill Street",
        "clinic",
        "swimming pool",
        "town hall",
        "park",
        "bridge",
        "bus stop",
        "football ground",
        "church hall",
        "post office",
        "corner shop",
        "car park",
        "playground",
        "fire station",
        "community garden",
        "museum",
        "leisure centre",
        "roundabout",
        "high street",
        "allotments",
        "youth club",
        "canal path",
        "village green",
        "cinema",
    };
    private static final String[] PEOPLE = {
        "dad",
        "mum",
        "neighbour",
        "sister",
        "brother",
        "grandmother",
        "grandad",
        "son",
        "daughter",
        "aunt",
        "uncle",
        "friend from work",
        "cousin",
        "landlord",
        "old teacher",
        "partner",
    };
    private static final String[] THINGS = {
        "road works",
        "new lights",
        "bin collection",
        "parking",
        "bus route",
        "cycle lane",
        "pavement",
        "noise",
        "queue",
        "timetable",
        "roof",
        "heating",
        "footpath",
        "signs",
        "benches",
        "trees",
        "fence",
        "drains",
        "speed bumps",
        "car sharing scheme",
    };
    private static final String[] DAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
    private static final String[] DAYPARTS = {"morning", "afternoon", "evening", "week", "weekend"};
    private static final String[] MONTHS = {
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    };
    private static final String[] ADJECTIVES = {
        "busy",
        "quiet",
        "closed",
        "packed",
        "a mess",
        "lovely",
        "freezing",
        "flooded",
        "noisy",
        "much better",
        "worse than before",
        "half empty",
        "dark",
        "fine",
        "really slow",
    };

    private CommentText() {}

    public static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder text = new StringBuilder();
        int sentences = 2 + random.nextInt(2);
        for (int i = 0; i < sentences; i++) {
            if (i > 0) {
                text.append(' ');
            }
            String sentence = sentence(random);
            if (random.nextInt(3) == 0) {
                sentence = pick(random, OPENERS) + ", " + Character.toLowerCase(sentence.charAt(0))
                        + sentence.substring(1);
            }
            text.append(sentence);
        }
        return text.toString();
    }

    private static String sentence(ThreadLocalRandom random) {
        return switch (random.nextInt(10)) {
            case 0 ->
                "I walked past the " + pick(random, PLACES) + " on " + pick(random, DAYS) + " and it was "
                        + pick(random, ADJECTIVES) + ".";
            case 1 ->
                "My " + pick(random, PEOPLE) + " says the " + pick(random, THINGS) + " near the " + pick(random, PLACES)
                        + " has been " + pick(random, ADJECTIVES) + " since " + pick(random, MONTHS) + ".";
            case 2 ->
                "We waited " + (3 + random.nextInt(57)) + " minutes at the " + pick(random, PLACES) + " this "
                        + pick(random, DAYPARTS) + ".";
            case 3 ->
                "The " + pick(random, THINGS) + " at the " + pick(random, PLACES) + " need sorting out before "
                        + pick(random, MONTHS) + ".";
            case 4 ->
                "I remember when the " + pick(random, PLACES) + " had " + pick(random, THINGS)
                        + " like that and nobody said a word.";
            case 5 ->
                (2 + random.nextInt(40)) + " years ago my " + pick(random, PEOPLE) + " worked at the "
                        + pick(random, PLACES) + ".";
            case 6 ->
                "The person I asked at the " + pick(random, PLACES) + " on " + pick(random, DAYS)
                        + " had no idea about the " + pick(random, THINGS) + ".";
            case 7 ->
                "Not sure the " + pick(random, THINGS) + " will be done by " + pick(random, MONTHS) + ", the "
                        + pick(random, PLACES) + " is still " + pick(random, ADJECTIVES) + ".";
            case 8 -> "Does anyone know if the " + pick(random, PLACES) + " is open on " + pick(random, DAYS) + "?";
            default ->
                "Thanks, I had no idea the " + pick(random, PLACES) + " was " + pick(random, ADJECTIVES) + " every "
                        + pick(random, DAYS) + ".";
        };
    }

    private static String pick(ThreadLocalRandom random, String[] words) {
        return words[random.nextInt(words.length)];
    }
}
