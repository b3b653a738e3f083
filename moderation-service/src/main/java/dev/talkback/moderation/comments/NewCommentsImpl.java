package dev.talkback.moderation.comments;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import reactor.core.publisher.Mono;

/** {@link NewComments} on MongoDB: one {@code insertMany}-like bulk write, unordered. */
class NewCommentsImpl implements NewComments {

    /**
     * Error codes of a document's write that come from the replica set, not from the document (the driver's
     * retryable-write codes): NotWritablePrimary, NotPrimaryNoSecondaryOk, NotPrimaryOrSecondary,
     * InterruptedAtShutdown, InterruptedDueToReplStateChange, ShutdownInProgress, PrimarySteppedDown,
     * HostUnreachable, HostNotFound, NetworkTimeout, SocketException, ExceededTimeLimit.
     */
    private static final Set<Integer> NOT_THE_DOCUMENTS_FAULT =
            Set.of(10107, 13435, 13436, 11600, 11602, 91, 189, 6, 7, 89, 9001, 262);

    private final ReactiveMongoTemplate mongo;

    NewCommentsImpl(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    @Override
    public Mono<Inserted> insertNew(List<ModeratedComment> comments) {
        if (comments.isEmpty()) {
            return Mono.just(Inserted.ALL);
        }
        List<ModeratedComment> inOrder = List.copyOf(comments);
        return mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, ModeratedComment.class)
                .insert(inOrder)
                .execute()
                .thenReturn(Inserted.ALL)
                .onErrorResume(
                        refused -> {
                            MongoBulkWriteException bulk = bulkWriteException(refused);
                            return bulk != null
                                    && bulk.getWriteConcernError() == null
                                    && !bulk.getWriteErrors().isEmpty();
                        },
                        refused -> Mono.just(inserted(inOrder, bulkWriteException(refused), refused)));
    }

    static Inserted inserted(List<ModeratedComment> inOrder, MongoBulkWriteException bulk, Throwable refused) {
        Set<String> duplicates = new HashSet<>();
        Map<String, RuntimeException> failed = new HashMap<>();
        for (BulkWriteError error : bulk.getWriteErrors()) {
            String id = inOrder.get(error.getIndex()).id();
            if (ErrorCategory.fromErrorCode(error.getCode()) == ErrorCategory.DUPLICATE_KEY) {
                duplicates.add(id);
            } else if (NOT_THE_DOCUMENTS_FAULT.contains(error.getCode())) {
                // the replica set is electing a primary or shutting down: an outage, retried until it is over
                failed.put(
                        id,
                        new TransientDataAccessResourceException(
                                "Comment " + id + " could not be stored now (code " + error.getCode() + ")", refused));
            } else {
                failed.put(
                        id,
                        new DataIntegrityViolationException(
                                "Comment " + id + " was refused by the store (code " + error.getCode() + ")", refused));
            }
        }
        return new Inserted(duplicates, failed);
    }

    private static @Nullable MongoBulkWriteException bulkWriteException(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof MongoBulkWriteException bulk) {
                return bulk;
            }
        }
        return null;
    }
}
