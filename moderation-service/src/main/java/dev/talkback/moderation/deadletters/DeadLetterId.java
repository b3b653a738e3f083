package dev.talkback.moderation.deadletters;

import dev.talkback.events.Topics;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where a dead letter is: {@code <topic>-<partition>-<offset>}, e.g. {@code comments.submitted.v1-dlt-3-17}. Only the
 * two dead-letter topics count, so an id cannot point the re-drive at any other topic.
 */
record DeadLetterId(String topic, int partition, long offset) implements Comparable<DeadLetterId> {

    /** The dead-letter topics, in the order the list walks them. */
    static final List<String> TOPICS = List.of(Topics.COMMENTS_SUBMITTED_DLT, Topics.COMMENTS_MODERATED_DLT);

    /** The id, or {@code null} when the text is not the id of a record of a dead-letter topic. */
    static @Nullable DeadLetterId parse(String text) {
        int lastDash = text.lastIndexOf('-');
        int partitionDash = lastDash < 1 ? -1 : text.lastIndexOf('-', lastDash - 1);
        if (partitionDash < 1) {
            return null;
        }
        String topic = text.substring(0, partitionDash);
        if (!TOPICS.contains(topic)) {
            return null;
        }
        try {
            int partition = Integer.parseInt(text.substring(partitionDash + 1, lastDash));
            long offset = Long.parseLong(text.substring(lastDash + 1));
            return partition < 0 || offset < 0 ? null : new DeadLetterId(topic, partition, offset);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The topic the record was dead-lettered from: the only topic it may be re-driven to. */
    String sourceTopic() {
        return topic.substring(0, topic.length() - Topics.DEAD_LETTER_SUFFIX.length());
    }

    @Override
    public int compareTo(DeadLetterId other) {
        int byTopic = Integer.compare(TOPICS.indexOf(topic), TOPICS.indexOf(other.topic));
        if (byTopic != 0) {
            return byTopic;
        }
        int byPartition = Integer.compare(partition, other.partition);
        return byPartition != 0 ? byPartition : Long.compare(offset, other.offset);
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "-" + offset;
    }
}
