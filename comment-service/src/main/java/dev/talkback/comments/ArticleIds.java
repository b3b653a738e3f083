package dev.talkback.comments;

import dev.talkback.support.web.ApiProblem;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;

/** Article ids are slugs chosen by the site: a letter or digit, then up to 199 letters, digits, '.', '_' or '-'. */
public final class ArticleIds {

    private static final Pattern SLUG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

    private ArticleIds() {}

    /** @throws ApiProblem 400 naming the field {@code articleId} when the id is not a slug */
    public static String requireValid(String articleId) {
        if (!SLUG.matcher(articleId).matches()) {
            throw new ApiProblem(
                    HttpStatus.BAD_REQUEST,
                    "The article id is not valid.",
                    List.of(new ApiProblem.FieldProblem(
                            "articleId",
                            "must be 1-200 letters, digits, '.', '_' or '-', starting with a letter or digit")));
        }
        return articleId;
    }
}
