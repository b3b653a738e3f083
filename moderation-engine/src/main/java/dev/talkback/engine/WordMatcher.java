package dev.talkback.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds whole words and phrases of a list in a text in one pass (Aho–Corasick), whatever the size of the list. Both
 * the entries and the text go through the same normalisation ({@link NormalizedText#words()}), so an entry
 * {@code viagra} matches {@code V.I.A.G.R.A}, {@code v1agr@} and {@code ѵiagra}; matching on whole words avoids the
 * Scunthorpe problem ({@code ass} does not match {@code class}).
 */
final class WordMatcher {

    private final Map<Long, Integer> transitions = new HashMap<>();
    private final List<Integer> failure = new ArrayList<>();
    private final List<String> output = new ArrayList<>();
    private final List<Integer> outputLink = new ArrayList<>();
    private final boolean empty;

    WordMatcher(Collection<String> entries) {
        newNode();
        boolean any = false;
        for (String entry : entries) {
            List<String> words = NormalizedText.of(entry).words();
            if (words.isEmpty()) {
                continue;
            }
            any = true;
            String pattern = " " + String.join(" ", words) + " ";
            int node = 0;
            for (int i = 0; i < pattern.length(); i++) {
                long key = key(node, pattern.charAt(i));
                Integer next = transitions.get(key);
                if (next == null) {
                    next = newNode();
                    transitions.put(key, next);
                }
                node = next;
            }
            output.set(node, String.join(" ", words));
        }
        empty = !any;
        buildFailureLinks();
    }

    private int newNode() {
        failure.add(0);
        output.add(null);
        outputLink.add(-1);
        return failure.size() - 1;
    }

    private static long key(int node, char c) {
        return ((long) node << 16) | c;
    }

    private void buildFailureLinks() {
        Map<Integer, List<Map.Entry<Character, Integer>>> children = new HashMap<>();
        for (Map.Entry<Long, Integer> t : transitions.entrySet()) {
            int parent = (int) (t.getKey() >>> 16);
            char c = (char) (t.getKey() & 0xFFFF);
            children.computeIfAbsent(parent, k -> new ArrayList<>()).add(Map.entry(c, t.getValue()));
        }
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (Map.Entry<Character, Integer> child : children.getOrDefault(0, List.of())) {
            failure.set(child.getValue(), 0);
            queue.add(child.getValue());
        }
        while (!queue.isEmpty()) {
            int node = queue.poll();
            for (Map.Entry<Character, Integer> child : children.getOrDefault(node, List.of())) {
                int f = failure.get(node);
                while (f != 0 && !transitions.containsKey(key(f, child.getKey()))) {
                    f = failure.get(f);
                }
                Integer target = transitions.get(key(f, child.getKey()));
                int fail = target != null && target != child.getValue() ? target : 0;
                failure.set(child.getValue(), fail);
                outputLink.set(child.getValue(), output.get(fail) != null ? fail : outputLink.get(fail));
                queue.add(child.getValue());
            }
        }
    }

    /** The entries found in the text, in order of first appearance. */
    Set<String> find(NormalizedText text) {
        Set<String> found = new LinkedHashSet<>();
        if (empty) {
            return found;
        }
        int node = step(0, ' ');
        for (String word : text.words()) {
            for (int i = 0; i < word.length(); i++) {
                node = step(node, word.charAt(i));
                collect(node, found);
            }
            node = step(node, ' ');
            collect(node, found);
        }
        return found;
    }

    private int step(int node, char c) {
        while (true) {
            Integer next = transitions.get(key(node, c));
            if (next != null) {
                return next;
            }
            if (node == 0) {
                return 0;
            }
            node = failure.get(node);
        }
    }

    private void collect(int node, Set<String> found) {
        for (int n = output.get(node) != null ? node : outputLink.get(node); n > 0; n = outputLink.get(n)) {
            found.add(output.get(n));
        }
    }
}
