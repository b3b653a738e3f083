package dev.talkback.testsupport;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded generators of random and hostile HTTP input. Everything comes from one {@link Random}, so a failing run is
 * replayed exactly with its seed. JSON is written by hand so that it can hold what a JSON library would never
 * write: lone surrogate escapes, duplicate keys, NUL bytes, invalid UTF-8.
 */
public final class HostileInputs {

    /** Text inserted verbatim into generated JSON. */
    public record Raw(String json) {}

    private static final String[] NASTY_STRINGS = {
        "",
        " ",
        "\t\r\n",
        "\u0000",
        "a\u0000b",
        "\u202Eevil\u202C",
        "\u200B\u200C\u200D\uFEFF",
        "e\u0301\u0301\u0301",
        "😀🎉👩‍👩‍👧‍👦",
        "𝕳𝖊𝖑𝖑𝖔",
        "<script>alert(1)</script>",
        "\"'><img src=x onerror=alert(1)>",
        "${jndi:ldap://x/a}",
        "{{7*7}}",
        "' OR 1=1 --",
        "{\"$gt\": \"\"}",
        "$where",
        "../../etc/passwd",
        "%00%0d%0a",
        "\r\nBcc: x@example.org",
        "javascript:alert(1)",
        "data:text/html,<b>x</b>",
        "ｆｕｌｌｗｉｄｔｈ",
        "مرحبا",
        "שָׁלוֹם",
        "\u0085\u2028\u2029",
        "NaN",
        "null",
        "true",
        "-0",
        "1e999",
        "\\",
        "\\u0000",
        "%s%s%s%n",
        "\uFFFD\uFFFF",
        "\uDBFF\uDFFF"
    };

    private static final String[] RAW_STRING_TOKENS = {
        "\"\\uD800\"", "\"\\uDC00\"", "\"a\\uD83D\"", "\"\\uDE00b\"", "\"\\uD800\\uD800\"", "\"\\u0000\"",
                "\"\\u001f\"",
        "\"\\x41\"", "\"\\u12\"", "\"\\'\"", "'single'", "\"unterminated", "\"tab\tinside\"", "\"nl\ninside\""
    };

    private static final String[] RAW_VALUE_TOKENS = {
        "NaN",
        "Infinity",
        "-Infinity",
        "1e999999",
        "-1e-999999",
        "123456789012345678901234567890",
        "0x1F",
        "01",
        "+1",
        ".5",
        "1.",
        "tru",
        "nul",
        "undefined",
        "[1,]",
        "{\"a\":1,}",
        "[,]",
        "{,}",
        "/* c */1",
        "// c\n1",
        "1 2"
    };

    private final Random random;

    public HostileInputs(Random random) {
        this.random = random;
    }

    public Random random() {
        return random;
    }

    public int between(int min, int max) {
        return min + random.nextInt(max - min + 1);
    }

    public boolean chance(double p) {
        return random.nextDouble() < p;
    }

    public <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    public String pick(String... values) {
        return values[random.nextInt(values.length)];
    }

    /** A random string: plain, unicode-heavy, control characters, a known nasty one, or long. */
    public String string() {
        return switch (random.nextInt(7)) {
            case 0 -> pick(NASTY_STRINGS);
            case 1 -> ascii(between(0, 40));
            case 2 -> unicode(between(0, 40));
            case 3 -> pick(NASTY_STRINGS) + ascii(between(1, 10)) + pick(NASTY_STRINGS);
            case 4 -> "x".repeat(between(0, 20_000));
            case 5 -> unicode(between(100, 3_000));
            default -> ascii(between(1, 5)) + "@" + ascii(between(1, 5)) + ".org";
        };
    }

    public String ascii(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) between(0x20, 0x7E));
        }
        return text.toString();
    }

    /** Random code points from the whole range, surrogates excluded (those come as raw escapes), controls included. */
    public String unicode(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            int codePoint = switch (random.nextInt(4)) {
                case 0 -> between(0, 0x7F);
                case 1 -> between(0x80, 0x7FF);
                case 2 -> between(0x800, 0xFFFF);
                default -> between(0x10000, 0x10FFFF);
            };
            if (codePoint >= 0xD800 && codePoint <= 0xDFFF) {
                codePoint = 'x';
            }
            text.appendCodePoint(codePoint);
        }
        return text.toString();
    }

    /** Any JSON value (as a Java value for {@link #json}); {@code depth} bounds the nesting. */
    public Object value(int depth) {
        int kind = random.nextInt(depth > 0 ? 10 : 8);
        return switch (kind) {
            case 0 -> null;
            case 1 -> random.nextBoolean();
            case 2 -> random.nextInt();
            case 3 -> random.nextDouble() * Math.pow(10, between(-300, 300));
            case 4, 5 -> string();
            case 6 -> new Raw(pick(RAW_STRING_TOKENS));
            case 7 -> new Raw(pick(RAW_VALUE_TOKENS));
            case 8 -> {
                List<Object> list = new ArrayList<>();
                for (int i = between(0, 5); i > 0; i--) {
                    list.add(value(depth - 1));
                }
                yield list;
            }
            default -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = between(0, 5); i > 0; i--) {
                    map.put(
                            chance(0.5)
                                    ? pick(
                                            "name",
                                            "email",
                                            "website",
                                            "text",
                                            "parentId",
                                            "notifyReplies",
                                            "action",
                                            "reason",
                                            "ids")
                                    : string(),
                            value(depth - 1));
                }
                yield map;
            }
        };
    }

    /** {@code levels} nested arrays or objects, optionally inside a field of an otherwise good object. */
    public String deeplyNested(int levels) {
        boolean arrays = random.nextBoolean();
        StringBuilder json = new StringBuilder(levels * 8);
        for (int i = 0; i < levels; i++) {
            json.append(arrays ? "[" : "{\"a\":");
        }
        json.append("1");
        if (chance(0.8)) {
            for (int i = 0; i < levels; i++) {
                json.append(arrays ? "]" : "}");
            }
        }
        return json.toString();
    }

    /** Writes a value as JSON; strings are escaped only where JSON requires it, {@link Raw} is copied. */
    public static String json(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private static void write(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Raw raw) {
            out.append(raw.json());
        } else if (value instanceof String text) {
            quote(text, out);
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> entry : ((Map<String, Object>) map).entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                quote(entry.getKey(), out);
                out.append(':');
                write(entry.getValue(), out);
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(list.get(i), out);
            }
            out.append(']');
        } else if (value instanceof Double number && (number.isNaN() || number.isInfinite())) {
            out.append("1e308");
        } else {
            out.append(value);
        }
    }

    private static void quote(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** Byte sequences that are not UTF-8: stray continuation, overlong, CESU surrogates, cut sequences, 0xFF. */
    public byte[] invalidUtf8() {
        return switch (random.nextInt(7)) {
            case 0 -> new byte[] {(byte) 0x80};
            case 1 -> new byte[] {(byte) 0xC0, (byte) 0xAF};
            case 2 -> new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80};
            case 3 -> new byte[] {(byte) 0xE2, (byte) 0x82};
            case 4 -> new byte[] {(byte) 0xFF, (byte) 0xFE};
            case 5 -> new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80};
            default -> new byte[] {(byte) 0xC3, (byte) 0x28};
        };
    }

    /** The bytes of {@code json} with an invalid UTF-8 sequence put at a random place. */
    public byte[] withInvalidUtf8(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        int at = random.nextInt(bytes.length + 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(bytes, 0, at);
        out.writeBytes(invalidUtf8());
        out.write(bytes, at, bytes.length - at);
        return out.toByteArray();
    }

    public byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}
