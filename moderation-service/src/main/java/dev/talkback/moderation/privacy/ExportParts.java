package dev.talkback.moderation.privacy;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Packs the JSON records of an export into JSON arrays of at most {@link #MAX_BYTES} (UTF-8), in order, so that no
 * {@code PrivacyExportPart} exceeds what the contract allows. A record is never split: one larger than a part on its own
 * would make a part of its own (none is: comment-service takes texts of at most 10,000 characters, so a comment's record
 * stays far below).
 */
final class ExportParts {

    /** The contract's limit of one part's {@code records}. */
    static final int MAX_BYTES = 256 * 1024;

    private final int maxBytes;
    private StringBuilder current = new StringBuilder("[");
    private int currentBytes = 1;
    private int records;

    ExportParts(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Adds one record (a JSON value); returns the part it closed when the record did not fit into that part. */
    Optional<String> add(String record) {
        int bytes = record.getBytes(StandardCharsets.UTF_8).length;
        Optional<String> closed = Optional.empty();
        // the record, a comma before it and the closing bracket
        if (records > 0 && currentBytes + 1 + bytes + 1 > maxBytes) {
            closed = Optional.of(current.append(']').toString());
            current = new StringBuilder("[");
            currentBytes = 1;
            records = 0;
        }
        if (records > 0) {
            current.append(',');
            currentBytes++;
        }
        current.append(record);
        currentBytes += bytes;
        records++;
        return closed;
    }

    /** The last part: the records added since the last part closed; {@code []} when there were none at all. */
    String finish() {
        return current.append(']').toString();
    }
}
