package dev.talkback.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandTests {

    @TempDir
    Path dir;

    @Test
    void evaluatesALabeledFileAndPrintsOneJsonObject() throws IOException {
        Path train = dir.resolve("train.tsv");
        Files.write(
                train,
                List.of(
                        "spam\tcheck out my channel http://promo.example subscribe",
                        "spam\tfree money click here http://cash.example",
                        "spam\tsubscribe to my channel please",
                        "ham\tlovely song, I still listen to it",
                        "ham\tthe chorus is great",
                        "ham\twho is watching in 2015"));
        Path test = dir.resolve("test.tsv");
        Files.write(test, List.of("spam\tcheck out my channel http://promo2.example", "ham\tgreat song"));

        String json = run("evaluate", "--test", test.toString(), "--train", train.toString());

        assertThat(json.trim()).startsWith("{").endsWith("}");
        for (String key : List.of(
                "n",
                "tp",
                "fp",
                "tn",
                "fn",
                "precision",
                "recall",
                "f1",
                "mcc",
                "fpr",
                "spam_approved",
                "held",
                "auc",
                "comments_per_second")) {
            assertThat(json).contains("\"" + key + "\":");
        }
        assertThat(json).contains("\"n\":2,");
    }

    @Test
    void checksEmailsOnePerLine() throws IOException {
        Path file = dir.resolve("emails.txt");
        Files.write(file, List.of("ada@example.org", "a@mailinator.com", "dotless@localhost"), StandardCharsets.UTF_8);

        List<String> lines = run("check-emails", file.toString()).lines().toList();

        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("ada@example.org\tvalid\t");
        assertThat(lines.get(1)).startsWith("a@mailinator.com\tinvalid\tdisposable");
        assertThat(lines.get(2)).startsWith("dotless@localhost\tinvalid\t");
    }

    @Test
    void answersUsageForUnknownCommands() throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Command.run(
                new String[] {"frobnicate"}, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("usage");
    }

    private static String run(String... args) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Command.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertThat(status).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }
}
