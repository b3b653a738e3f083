package dev.talkback.comments.site;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.springframework.core.io.ClassPathResource;

/**
 * The site's own sample article ({@code site/seed-article.txt}, as the newsroom exported it): a date line, the title,
 * then paragraphs and short subheadings, then the site's footer ("About Admin", related articles, the old comment
 * form) which the demo page leaves out: the widget brings the comment section.
 */
record SeedArticle(String dateLine, String title, List<Block> blocks) {

    static final String RESOURCE = "site/seed-article.txt";
    private static final String FOOTER_START = "About Admin";

    record Block(boolean heading, String text) {}

    static SeedArticle load() {
        try (InputStream in = new ClassPathResource(RESOURCE).getInputStream()) {
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    static SeedArticle parse(String text) {
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\\R")) {
            if (line.strip().equals(FOOTER_START)) {
                break;
            }
            if (!line.isBlank()) {
                lines.add(line.strip());
            }
        }
        String dateLine = lines.get(0).replace(" ,", ",");
        String title = lines.get(1);
        List<Block> blocks = new ArrayList<>();
        for (String line : lines.subList(2, lines.size())) {
            // a short line that does not end a sentence is a subheading ("Raising Alarm")
            boolean heading = line.length() < 60 && !line.matches(".*[.!?\"”’:]$");
            blocks.add(new Block(heading, line));
        }
        return new SeedArticle(dateLine, title, List.copyOf(blocks));
    }
}
