package dev.talkback.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Hostile comment texts of a given length, the shapes that make a backtracking regular expression or a careless loop
 * super-linear: nested and unterminated tag-like and URL-like fragments, obfuscated dots, entity chains, long runs of
 * one character class, look-alike letters from other scripts, invisible characters and spelled-out words. Each shape
 * repeats a unit up to the length asked for, so that the same shape can be timed at several lengths.
 */
final class AdversarialText {

    /** A named shape; {@link #of(int)} gives its text of exactly that many chars. */
    record Shape(String name, IntFunction<String> generator) {

        String of(int length) {
            return generator.apply(length);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private AdversarialText() {}

    static List<Shape> shapes() {
        List<Shape> shapes = new ArrayList<>();
        // tag-like
        repeated(shapes, "<a\thref=\"\"");
        repeated(shapes, "<a href=\"");
        repeated(shapes, "<a href='");
        repeated(shapes, "<a href=");
        repeated(shapes, "<<<a");
        repeated(shapes, "<a <a href <a ");
        repeated(shapes, "<a href=\"x\"");
        repeated(shapes, "<a\nhref\n=\n'x'\n");
        shapes.add(new Shape("tag-opens-then-one-close", n -> fill("<a href=x ", n - 1) + ">"));
        shapes.add(new Shape("long-tags", n -> fill("<" + "x".repeat(498) + ">", n)));
        shapes.add(new Shape("almost-tags", n -> fill("<" + "x".repeat(501), n)));
        // URL-like
        repeated(shapes, "http://");
        repeated(shapes, "https://a");
        repeated(shapes, "www.");
        repeated(shapes, "www.a");
        repeated(shapes, "a.");
        repeated(shapes, "a-");
        repeated(shapes, "ab-");
        repeated(shapes, "a.com.");
        repeated(shapes, "a.b-");
        repeated(shapes, "1.");
        shapes.add(new Shape("long-label-dots", n -> fill("a".repeat(70) + ".", n)));
        shapes.add(new Shape("long-hyphen-labels", n -> fill("a" + "-".repeat(61) + "a.", n)));
        shapes.add(new Shape("url-timestamp-digits", n -> prefixed("http://a.com/?t=", "1", n - 1) + "x"));
        shapes.add(new Shape("url-timestamp-digits-m", n -> prefixed("see a.com/v?t=1m", "1", n - 1) + "x"));
        repeated(shapes, "?t=1m1");
        repeated(shapes, "a.com/?t=1");
        // obfuscated dots
        repeated(shapes, "a[dot]");
        repeated(shapes, "a [dot] ");
        repeated(shapes, "a (.) ");
        repeated(shapes, "[ [ [");
        repeated(shapes, "a dot ");
        repeated(shapes, "a dot com ");
        repeated(shapes, "a[b]");
        repeated(shapes, "a[b");
        repeated(shapes, "a(");
        // entities
        repeated(shapes, "&#");
        repeated(shapes, "&#1");
        repeated(shapes, "&#x");
        repeated(shapes, "&amp;");
        repeated(shapes, "&amp;#39;");
        repeated(shapes, "&amp;lt;a href=&amp;quot;");
        repeated(shapes, "&lt;a href=&quot;");
        // runs of one class
        repeated(shapes, "a");
        repeated(shapes, "7");
        repeated(shapes, ".");
        repeated(shapes, " ");
        repeated(shapes, "\n");
        repeated(shapes, "\n \n");
        repeated(shapes, "<");
        repeated(shapes, "&");
        repeated(shapes, "!");
        repeated(shapes, "-");
        repeated(shapes, "@");
        // other scripts, look-alikes, invisible characters
        repeated(shapes, "раураl ");
        repeated(shapes, "αβγδε");
        repeated(shapes, "ｖｉａｇｒａ");
        repeated(shapes, "v\u200bi\u200ba\u200bg\u200br\u200ba");
        repeated(shapes, "\u202e\u202d\u200d\ufeff");
        repeated(shapes, "a\u0301");
        repeated(shapes, "\ud83d");
        repeated(shapes, "😀");
        // spelled out and stretched
        repeated(shapes, "v i a g r a ");
        repeated(shapes, "v.i.a.g.r.a.");
        repeated(shapes, "v-i-a-g-r-a ");
        repeated(shapes, "v1@gr@ ");
        repeated(shapes, "fuuuuuck ");
        repeated(shapes, "check my channel ");
        // mixed: every hostile fragment in turn
        shapes.add(new Shape(
                "mixed",
                n -> fill(
                        "<a\thref=\"\"<<<a http://www.a.a.a[dot]&#&amp;#39;v i a g r a "
                                + "раураl ｖｉａｇｒａ\u200b\u202e a dot com ?t=1 ",
                        n)));
        return List.copyOf(shapes);
    }

    private static void repeated(List<Shape> shapes, String unit) {
        shapes.add(new Shape("repeat(" + printable(unit) + ")", n -> fill(unit, n)));
    }

    private static String printable(String unit) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < unit.length(); i++) {
            char c = unit.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return out.toString();
    }

    private static String prefixed(String prefix, String unit, int length) {
        return prefix + fill(unit, Math.max(0, length - prefix.length()));
    }

    /** The unit repeated, cut to exactly {@code length} chars. */
    static String fill(String unit, int length) {
        StringBuilder out = new StringBuilder(length + unit.length());
        while (out.length() < length) {
            out.append(unit);
        }
        out.setLength(length);
        return out.toString();
    }
}
