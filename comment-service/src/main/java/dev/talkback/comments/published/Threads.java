package dev.talkback.comments.published;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The published replies of an article arranged by thread (top-level comment): which replies readers can see (those
 * whose every ancestor is published too), in which order, and under which comment each is shown.
 *
 * <p>The depth cap is applied here, when a page is built, rather than when a decision is written to the read model:
 * a reply's decision can be applied before its parent's (they are keyed, so partitioned, by their own ids, and a read
 * model rebuilt from the topic meets them in any order), a changed cap applies to every thread at once, and the
 * stored {@code parentId} stays what the author answered. Iterative, so a chain of any length costs no stack.
 */
final class Threads {

    /**
     * A visible reply.
     *
     * @param shownUnder the comment it is listed under: its parent, or for a reply deeper than the cap the ancestor
     *                   one level above the cap (so it is shown at the cap's depth, next to its ancestor there)
     * @param depth      its real depth (1 for a reply to a top-level comment)
     */
    record Reply(CommentDocument doc, String shownUnder, int depth) {}

    private final Map<String, List<CommentDocument>> children = new HashMap<>();
    private final int maxDepth;

    Threads(List<CommentDocument> replies, int maxDepth) {
        this.maxDepth = maxDepth;
        for (CommentDocument reply : replies) {
            if (reply.parentId() != null) {
                children.computeIfAbsent(reply.parentId(), k -> new ArrayList<>())
                        .add(reply);
            }
        }
    }

    /** The visible replies of the thread of a top-level comment, oldest first. */
    List<Reply> of(String threadId) {
        List<Reply> found = new ArrayList<>();
        Set<String> visited = new HashSet<>();
        visited.add(threadId);
        Deque<Reply> todo = new ArrayDeque<>();
        for (CommentDocument child : children.getOrDefault(threadId, List.of())) {
            todo.push(new Reply(child, threadId, 1));
        }
        while (!todo.isEmpty()) {
            Reply reply = todo.pop();
            if (!visited.add(reply.doc().id())) {
                continue;
            }
            found.add(reply);
            int depth = reply.depth() + 1;
            String shownUnder = depth <= maxDepth ? reply.doc().id() : reply.shownUnder();
            for (CommentDocument child : children.getOrDefault(reply.doc().id(), List.of())) {
                todo.push(new Reply(child, shownUnder, depth));
            }
        }
        found.sort((a, b) -> PageCursor.ORDER.compare(a.doc(), b.doc()));
        return found;
    }

    /** Top-level comments and the replies readers can see under them. */
    long visibleCount(List<String> threadIds) {
        Set<String> seen = new HashSet<>(threadIds);
        Deque<String> todo = new ArrayDeque<>(threadIds);
        while (!todo.isEmpty()) {
            for (CommentDocument child : children.getOrDefault(todo.pop(), List.of())) {
                if (seen.add(child.id())) {
                    todo.push(child.id());
                }
            }
        }
        return seen.size();
    }
}
