package dev.talkback.comments.intake;

import dev.talkback.comments.CommentIds;
import dev.talkback.comments.CommentsProperties;
import dev.talkback.comments.published.PublishedComments;
import dev.talkback.engine.EmailAddressPolicy;
import dev.talkback.events.CommentReported;
import dev.talkback.support.web.ApiProblem;
import dev.talkback.support.web.ClientAddressResolver;
import java.time.Instant;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/comments/{commentId}/reports}: a reader reports a published comment (spam, abuse, off-topic,
 * personal information, other) or files a notice that it is illegal. Checks the size, the content type, the JSON and
 * every field, and that the comment is published, then publishes {@code CommentReported} and answers 202 once Kafka
 * acknowledged it. Rate-limited per address by the edge ({@code comments.rate-limits.reports}).
 */
@RestController
class ReportController {

    static final String INVALID_REPORT = "The report has invalid fields.";

    private final long maxBodyBytes;
    private final CommentFormReader reader;
    private final ReportRules rules;
    private final ClientAddressResolver clientAddresses;
    private final PublishedComments readModel;
    private final SubmissionPublisher publisher;
    private final CommentIds ids;

    ReportController(
            CommentsProperties properties,
            JsonMapper jsonMapper,
            PublishedComments readModel,
            SubmissionPublisher publisher,
            CommentIds ids) {
        this.maxBodyBytes = properties.maxBodySize().toBytes();
        this.reader = new CommentFormReader(jsonMapper);
        this.rules = new ReportRules(new CommentRules(new EmailAddressPolicy()));
        this.clientAddresses = properties.clientIp().resolver();
        this.readModel = readModel;
        this.publisher = publisher;
        this.ids = ids;
    }

    @PostMapping("/api/comments/{commentId}/reports")
    Mono<ResponseEntity<Received>> report(@PathVariable String commentId, ServerWebExchange exchange) {
        ServerHttpRequest request = exchange.getRequest();
        if (!CommentIds.isWellFormed(commentId)) {
            throw noSuchComment();
        }
        return JsonRequestBody.read(request, maxBodyBytes)
                .map(reader::readReport)
                .map(form -> {
                    ReportRules.Checked checked = rules.check(form);
                    if (checked.report() == null) {
                        throw ApiProblem.invalidFields(INVALID_REPORT, checked.problems());
                    }
                    return checked.report();
                })
                .flatMap(report -> readModel
                        .articleOfPublished(commentId)
                        .switchIfEmpty(Mono.error(ReportController::noSuchComment))
                        .flatMap(articleId -> {
                            var event = new CommentReported(
                                    UUID.randomUUID(),
                                    Instant.now(),
                                    ids.next(),
                                    commentId,
                                    articleId,
                                    report.reason(),
                                    report.note(),
                                    report.notice(),
                                    clientAddresses.resolve(request));
                            return publisher
                                    .publish(event)
                                    .thenReturn(ResponseEntity.status(HttpStatus.ACCEPTED)
                                            .body(new Received(event.reportId())));
                        }));
    }

    private static ApiProblem noSuchComment() {
        return new ApiProblem(HttpStatus.NOT_FOUND, "There is no published comment with this id.");
    }

    /** The answer to a report: its id, for the reader's reference. */
    record Received(String reportId) {}
}
