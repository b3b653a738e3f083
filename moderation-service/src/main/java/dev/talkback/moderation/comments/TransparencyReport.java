package dev.talkback.moderation.comments;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bson.Document;
import org.jspecify.annotations.Nullable;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * The counts a transparency report needs (Digital Services Act, Art. 15 and 24) for a period: readers' reports and
 * notices by reason, decisions automated and human by outcome, removals by ground and by what they followed, how
 * long reports waited for a moderator (median), and reversals (a decision that turns an approval into a rejection or
 * back). Read by streaming the period's documents, two fields of each, so the period's size costs time, not memory
 * beyond one number per resolved report.
 *
 * <p>An erasure at the author's request ({@code privacy.erased}) is no moderation decision: it is counted nowhere, and
 * an appeal it closed is not counted as resolved.
 */
@Service
class TransparencyReport {

    private final ReactiveMongoTemplate mongo;

    TransparencyReport(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    /**
     * @param reportsByReason        reports received in the period per reason (notices are {@code ILLEGAL_CONTENT})
     * @param noticesReceived        notices of illegal content received in the period
     * @param reportsResolved        reports a moderator's decision resolved in the period
     * @param medianSecondsToDecision median time from a report's receipt to the decision that resolved it, or
     *                               {@code null} without any
     * @param medianSecondsToDecideNotice the same for notices alone, or {@code null}
     * @param automatedDecisions     automatic decisions taken in the period per outcome
     * @param humanDecisions         moderators' decisions taken in the period per outcome
     * @param removalsByGround       rejections in the period per ground of their statement ({@code LAW},
     *                               {@code TERMS})
     * @param removalsByFacts        rejections in the period per what they followed ({@code AUTOMATED_CHECK},
     *                               {@code OWN_REVIEW}, {@code REPORT}, {@code NOTICE})
     * @param reversals              decisions in the period that turned an approval into a rejection or back
     * @param appealsReceived        authors' requests for a human review made in the period
     * @param appealsResolved        those a moderator decided in the period
     * @param appealsReversed        of those, the ones that published the comment
     */
    record Counts(
            Instant from,
            Instant to,
            Map<String, Long> reportsByReason,
            long noticesReceived,
            long reportsResolved,
            @Nullable Long medianSecondsToDecision,
            @Nullable Long medianSecondsToDecideNotice,
            Map<String, Long> automatedDecisions,
            Map<String, Long> humanDecisions,
            Map<String, Long> removalsByGround,
            Map<String, Long> removalsByFacts,
            long reversals,
            long appealsReceived,
            long appealsResolved,
            long appealsReversed) {

        /** The counts as CSV lines {@code section,key,value}, with a header. */
        String csv() {
            StringBuilder out = new StringBuilder("section,key,value\n");
            out.append("period,from,").append(from).append('\n');
            out.append("period,to,").append(to).append('\n');
            reportsByReason.forEach((k, v) ->
                    out.append("reports,").append(k).append(',').append(v).append('\n'));
            out.append("notices,received,").append(noticesReceived).append('\n');
            out.append("reports,resolved,").append(reportsResolved).append('\n');
            out.append("reports,median-seconds-to-decision,")
                    .append(medianSecondsToDecision == null ? "" : medianSecondsToDecision)
                    .append('\n');
            out.append("notices,median-seconds-to-decision,")
                    .append(medianSecondsToDecideNotice == null ? "" : medianSecondsToDecideNotice)
                    .append('\n');
            automatedDecisions.forEach((k, v) -> out.append("automated-decisions,")
                    .append(k)
                    .append(',')
                    .append(v)
                    .append('\n'));
            humanDecisions.forEach((k, v) -> out.append("human-decisions,")
                    .append(k)
                    .append(',')
                    .append(v)
                    .append('\n'));
            removalsByGround.forEach((k, v) -> out.append("removals-by-ground,")
                    .append(k)
                    .append(',')
                    .append(v)
                    .append('\n'));
            removalsByFacts.forEach((k, v) -> out.append("removals-by-facts,")
                    .append(k)
                    .append(',')
                    .append(v)
                    .append('\n'));
            out.append("decisions,reversals,").append(reversals).append('\n');
            out.append("appeals,received,").append(appealsReceived).append('\n');
            out.append("appeals,resolved,").append(appealsResolved).append('\n');
            out.append("appeals,reversed,").append(appealsReversed).append('\n');
            return out.toString();
        }
    }

    Mono<Counts> of(Instant from, Instant to) {
        return Mono.zip(reportCounts(from, to), decisionCounts(from, to), appealCounts(from, to))
                .map(all -> {
                    ReportCounts r = all.getT1();
                    DecisionCounts d = all.getT2();
                    long[] a = all.getT3();
                    return new Counts(
                            from,
                            to,
                            r.byReason,
                            r.byReason.getOrDefault(Report.ILLEGAL_CONTENT, 0L),
                            r.waits.size(),
                            median(r.waits),
                            median(r.noticeWaits),
                            d.automated,
                            d.human,
                            d.byGround,
                            d.byFacts,
                            d.reversals,
                            a[0],
                            a[1],
                            a[2]);
                });
    }

    /** Appeals made, resolved and reversed (the comment published) in the period. */
    private Mono<long[]> appealCounts(Instant from, Instant to) {
        Query made = Query.query(Criteria.where("appeal.since").gte(from).lt(to));
        made.fields().include("appeal");
        Query resolved =
                Query.query(Criteria.where("appeal.resolvedAt").gte(from).lt(to));
        resolved.fields().include("appeal");
        long[] counts = new long[3];
        String collection = mongo.getCollectionName(ModeratedComment.class);
        return mongo.find(made, Document.class, collection)
                .doOnNext(doc -> counts[0]++)
                .thenMany(mongo.find(resolved, Document.class, collection))
                .doOnNext(doc -> {
                    Document appeal = doc.get("appeal", Document.class);
                    if (appeal != null && CommentPersonalData.ERASED_APPEAL.equals(appeal.getString("outcome"))) {
                        return;
                    }
                    counts[1]++;
                    if (appeal != null && "APPROVED".equals(appeal.getString("outcome"))) {
                        counts[2]++;
                    }
                })
                .then(Mono.just(counts));
    }

    private static final class ReportCounts {
        final Map<String, Long> byReason = new TreeMap<>();
        final List<Long> waits = new ArrayList<>();
        final List<Long> noticeWaits = new ArrayList<>();
    }

    private Mono<ReportCounts> reportCounts(Instant from, Instant to) {
        Query received = Query.query(Criteria.where("receivedAt").gte(from).lt(to));
        received.fields().include("reason");
        Query resolved = Query.query(Criteria.where("resolvedAt").gte(from).lt(to));
        resolved.fields().include("reason").include("receivedAt").include("resolvedAt");
        ReportCounts counts = new ReportCounts();
        return mongo.find(received, Document.class, Report.COLLECTION)
                .doOnNext(doc -> counts.byReason.merge(String.valueOf(doc.get("reason")), 1L, Long::sum))
                .thenMany(mongo.find(resolved, Document.class, Report.COLLECTION))
                .doOnNext(doc -> {
                    Date receivedAt = doc.getDate("receivedAt");
                    Date resolvedAt = doc.getDate("resolvedAt");
                    if (receivedAt != null && resolvedAt != null) {
                        long seconds = Duration.between(receivedAt.toInstant(), resolvedAt.toInstant())
                                .toSeconds();
                        counts.waits.add(seconds);
                        if (Report.ILLEGAL_CONTENT.equals(doc.get("reason"))) {
                            counts.noticeWaits.add(seconds);
                        }
                    }
                })
                .then(Mono.just(counts));
    }

    private static final class DecisionCounts {
        final Map<String, Long> automated = new TreeMap<>();
        final Map<String, Long> human = new TreeMap<>();
        final Map<String, Long> byGround = new TreeMap<>();
        final Map<String, Long> byFacts = new TreeMap<>();
        long reversals;
    }

    private Mono<DecisionCounts> decisionCounts(Instant from, Instant to) {
        Query decided =
                Query.query(Criteria.where("history.decidedAt").gte(from).lt(to));
        decided.fields().include("history");
        DecisionCounts counts = new DecisionCounts();
        return mongo.find(decided, Document.class, mongo.getCollectionName(ModeratedComment.class))
                .doOnNext(doc -> {
                    String previous = null;
                    for (Document decision : doc.getList("history", Document.class, List.of())) {
                        if (isErasure(decision)) {
                            continue;
                        }
                        String outcome = decision.getString("outcome");
                        Date at = decision.getDate("decidedAt");
                        boolean inPeriod = at != null
                                && !at.toInstant().isBefore(from)
                                && at.toInstant().isBefore(to);
                        if (inPeriod && outcome != null) {
                            (Boolean.TRUE.equals(decision.getBoolean("human")) ? counts.human : counts.automated)
                                    .merge(outcome, 1L, Long::sum);
                            Document statement = decision.get("statement", Document.class);
                            if (statement != null) {
                                counts.byGround.merge(String.valueOf(statement.get("ground")), 1L, Long::sum);
                                counts.byFacts.merge(String.valueOf(statement.get("facts")), 1L, Long::sum);
                            }
                            if (previous != null && isReversal(previous, outcome)) {
                                counts.reversals++;
                            }
                        }
                        if (outcome != null && !"HELD".equals(outcome)) {
                            previous = outcome;
                        }
                    }
                })
                .then(Mono.just(counts));
    }

    private static boolean isErasure(Document decision) {
        return decision.getList("reasons", Document.class, List.of()).stream()
                .anyMatch(reason -> CommentPersonalData.ERASED_RULE.equals(reason.getString("ruleId")));
    }

    private static boolean isReversal(String previous, String outcome) {
        return "APPROVED".equals(previous) && "REJECTED".equals(outcome)
                || "REJECTED".equals(previous) && "APPROVED".equals(outcome);
    }

    private static @Nullable Long median(List<Long> values) {
        if (values.isEmpty()) {
            return null;
        }
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get((sorted.size() - 1) / 2);
    }
}
