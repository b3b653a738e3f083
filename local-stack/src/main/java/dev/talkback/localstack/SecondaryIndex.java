package dev.talkback.localstack;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A non-unique index for mongo-java-server, which ignores every index that is not unique ("adding secondary index
 * ... is not yet implemented") and so answers every query on another field than {@code _id} by reading the whole
 * collection. The services create the indexes MongoDB needs (by article, by author, by status, by due time); without
 * them the embedded store slows down with every comment stored, which made the local stack's figures meaningless
 * (a moderation-service instance deciding 20–30 comments per second after a few thousand).
 *
 * <p>It keeps in memory, for each value of the index's fields but the last (with one entry per array element), the
 * documents ordered by the last field, and serves queries with an equality, {@code $eq} or {@code $in} on the first
 * field (and on the next ones, if they are fixed too); a range on the last field of a compound index is served too
 * ({@code emailKey = x and submittedAt >= since}; {@code status, channel = x, y and nextAttemptAt <= now}), and a
 * sort on it with a limit can stop early ({@link OrderedPositions}). A range on the first
 * field alone ({@code publishPending <= t}, {@code expiresAt < now}) is served by walking its distinct values, which
 * is cheap for what the services index that way: sparse marks and time windows, few distinct values each (documents
 * without the field are never candidates for a range, as in MongoDB). It only
 * narrows the candidates: the store matches every candidate against the whole query, so a query it serves returns
 * exactly what a scan would.
 * Being in memory, it is rebuilt from the documents when the store opens (mongo-java-server fills a new index that
 * way). {@code null} and regular expressions are left to the scan.
 */
final class SecondaryIndex<P> extends Index<P> {

    private static final Set<String> RANGE_OPERATORS = Set.of("$gt", "$gte", "$lt", "$lte");

    /** The first field. */
    private final String field;
    /**
     * The fields a bucket is keyed on: all but the last of a compound index ({@code status, channel} of
     * {@code status, channel, nextAttemptAt}), the only one of a single-field index.
     */
    private final List<String> prefix;

    private final Set<String> prefixSet;
    /** The last field of a compound index, whose ranges and order it serves ({@code submittedAt >= since}); or null. */
    private final String rangeField;

    private final Map<KeyValue, Bucket<P>> buckets = new HashMap<>();
    /**
     * With more than one key field: the keys of the buckets by their first value, for queries that fix only the
     * leading fields ({@code articleId} and {@code status} of {@code articleId, status, parentId, publishedAt}); null
     * otherwise.
     */
    private final Map<Object, Set<KeyValue>> keysByFirst;
    /** Each indexed document's position, by {@code _id}: what {@link #remove} must answer. */
    private final Map<Object, P> positionsById = new HashMap<>();

    /**
     * The documents with one value of the key fields, ordered by the last field (those without a plain one apart).
     * Kept small, for the store's heap holds one entry per document and index: most last-field values (times) belong
     * to one document, so an entry holds that position itself, and a set only when several share the value; a
     * bucket of one document (an index on an exact hash) allocates no set.
     */
    private static final class Bucket<P> {
        private NavigableMap<Object, Object> ordered;
        private Set<P> unordered;

        void add(Object rangeValue, P position) {
            if (rangeValue == null) {
                if (unordered == null) {
                    unordered = new LinkedHashSet<>(2);
                }
                unordered.add(position);
                return;
            }
            if (ordered == null) {
                ordered = new TreeMap<>(ValueComparator.asc());
            }
            ordered.merge(rangeValue, position, (held, added) -> {
                if (held instanceof Shared<?> shared) {
                    @SuppressWarnings("unchecked")
                    Shared<Object> positions = (Shared<Object>) shared;
                    positions.add(added);
                    return positions;
                }
                return held.equals(added) ? held : new Shared<>(held, added);
            });
        }

        void remove(Object rangeValue, P position) {
            if (rangeValue == null) {
                if (unordered != null && unordered.remove(position) && unordered.isEmpty()) {
                    unordered = null;
                }
                return;
            }
            if (ordered == null) {
                return;
            }
            Object held = ordered.get(rangeValue);
            if (held instanceof Shared<?> shared) {
                shared.remove(position);
                if (shared.size() == 1) {
                    ordered.put(rangeValue, shared.iterator().next());
                }
            } else if (position.equals(held)) {
                ordered.remove(rangeValue);
            }
            if (ordered.isEmpty()) {
                ordered = null;
            }
        }

        /** Newest (highest value of the last field) first, then those without one. */
        void collect(Document range, Set<P> into) {
            into.addAll(ordered(range, null));
        }

        /** The candidates within the range, highest value of the last field first, then those without one. */
        @SuppressWarnings("unchecked")
        OrderedPositions<P> ordered(Document range, String field) {
            OrderedPositions<P> positions = new OrderedPositions<>(field);
            if (ordered != null) {
                for (Object held : within(ordered, range).descendingMap().values()) {
                    if (held instanceof Shared<?> shared) {
                        positions.addAll((Shared<P>) shared);
                    } else {
                        positions.add((P) held);
                    }
                }
            }
            positions.withValue = positions.size();
            if (unordered != null) {
                positions.addAll(unordered);
            }
            return positions;
        }

        boolean isEmpty() {
            return ordered == null && unordered == null;
        }
    }

    /**
     * The candidates of one bucket, highest value of {@code field} first, then the last {@code size() - withValue}
     * without one: in the order of a sort on that field, which a query with a sort and a limit ({@code status,
     * channel} = x, oldest {@code nextAttemptAt} first, 50 of them) can walk and stop once it has its documents,
     * instead of reading every candidate to sort them (every due delivery of a backlog, each poll).
     */
    static final class OrderedPositions<P> extends ArrayList<P> {

        private final String field;
        private int withValue;

        private OrderedPositions(String field) {
            this.field = field;
        }

        /**
         * The positions in the order of {@code orderBy} if it sorts on this field alone, else null. As in MongoDB, a
         * document without the field (or with null) comes first in ascending order and last in descending order.
         */
        List<P> inOrderOf(Document orderBy) {
            if (orderBy == null || orderBy.size() != 1 || !(orderBy.get(field) instanceof Number direction)) {
                return null;
            }
            if (direction.intValue() < 0) {
                return this;
            }
            List<P> ascending = new ArrayList<>(subList(withValue, size()));
            for (int i = withValue - 1; i >= 0; i--) {
                ascending.add(get(i));
            }
            return ascending;
        }
    }

    /**
     * Positions sharing one value of the last field, in the order they were added. A set: a value can be shared by
     * every document of a bucket (an article's replies published in one second, mails due at one instant), and
     * a list made each insert and update scan them all.
     */
    private static final class Shared<P> extends LinkedHashSet<P> {
        Shared(P first, P second) {
            add(first);
            add(second);
        }
    }

    SecondaryIndex(String name, List<IndexKey> keys, boolean sparse) {
        super(name, keys, sparse);
        this.field = keys.get(0).getKey();
        List<String> names = keys.stream().map(IndexKey::getKey).toList();
        this.prefix = names.size() > 1 ? names.subList(0, names.size() - 1) : names;
        this.prefixSet = Collections.unmodifiableSet(new LinkedHashSet<>(prefix));
        this.rangeField = names.size() > 1 ? names.get(names.size() - 1) : null;
        this.keysByFirst = prefix.size() > 1 ? new HashMap<>() : null;
    }

    /** The bucket's fields are the key: {@link Index#getKeyValues(Document)} then yields their values alone. */
    @Override
    protected List<String> keys() {
        return prefix;
    }

    @Override
    protected Set<String> keySet() {
        return prefixSet;
    }

    @Override
    public synchronized P getPosition(Document document) {
        return positionsById.get(document.get("_id"));
    }

    /** The last field's value if the document is ordered by it, else null. */
    private Object rangeValueOf(Document document) {
        Object value = rangeField == null ? null : Utils.getSubdocumentValue(document, rangeField);
        return isIndexable(value) && !(value instanceof Missing) ? value : null;
    }

    @Override
    public void checkAdd(Document document, MongoCollection<P> collection) {
        // not unique: nothing to refuse
    }

    @Override
    public synchronized void add(Document document, P position, MongoCollection<P> collection) {
        Object rangeValue = rangeValueOf(document);
        for (KeyValue key : getKeyValues(document)) {
            buckets.computeIfAbsent(key, this::newBucket).add(rangeValue, position);
        }
        positionsById.put(document.get("_id"), position);
    }

    /** Removes the document as it is stored (its keys are computed again from it, not kept). */
    @Override
    public synchronized P remove(Document document) {
        P position = positionsById.remove(document.get("_id"));
        if (position == null) {
            return null;
        }
        Object rangeValue = rangeValueOf(document);
        for (KeyValue value : getKeyValues(document)) {
            Bucket<P> bucket = buckets.get(value);
            if (bucket == null) {
                continue;
            }
            bucket.remove(rangeValue, position);
            if (bucket.isEmpty()) {
                buckets.remove(value);
                if (keysByFirst != null) {
                    keysByFirst.computeIfPresent(
                            value.get(0), (first, keys) -> keys.remove(value) && keys.isEmpty() ? null : keys);
                }
            }
        }
        return position;
    }

    private Bucket<P> newBucket(KeyValue key) {
        if (keysByFirst != null) {
            keysByFirst.computeIfAbsent(key.get(0), first -> new HashSet<>()).add(key);
        }
        return new Bucket<>();
    }

    @Override
    public synchronized boolean canHandle(Document query) {
        return queriedValues(query) != null || range(query.get(field)) != null;
    }

    /**
     * The candidates: of one bucket, highest value of the last field first, then those without one, as an
     * {@link OrderedPositions} (what {@link EmbeddedIndexes} needs to stop reading once a sorted query with a limit
     * has its documents); of several, bucket after bucket.
     */
    @Override
    public synchronized Iterable<P> getPositions(Document query) {
        Document range = rangeField == null ? null : range(query.get(rangeField));
        List<Bucket<P>> found = bucketsFor(query);
        if (found.size() == 1 && rangeField != null) {
            return found.get(0).ordered(range, rangeField);
        }
        Set<P> positions = new LinkedHashSet<>();
        for (Bucket<P> bucket : found) {
            // newest (highest) first, as MongoDB walks a descending index: a query with a limit and no sort
            // then reads only as many documents as it keeps
            bucket.collect(range, positions);
        }
        return new ArrayList<>(positions);
    }

    /**
     * The buckets of the values the query asks for on the key fields (on all of them, or on the leading ones), or
     * of every value of the first field in its range.
     */
    private List<Bucket<P>> bucketsFor(Document query) {
        List<Bucket<P>> found = new ArrayList<>();
        List<Collection<?>> queried = new ArrayList<>();
        for (String name : prefix) {
            Collection<?> values = valuesOf(query.get(name));
            if (values == null) {
                break;
            }
            queried.add(values);
        }
        if (queried.size() == prefix.size()) {
            for (List<Object> combination : combinations(queried)) {
                // shaped as the stored documents are ({"mail": {"recipientHash": h}} for "mail.recipientHash"), for
                // getKeyValues reads each key field by its path, as it does when it indexes a document
                Document key = new Document();
                for (int i = 0; i < prefix.size(); i++) {
                    Utils.changeSubdocumentValue(key, prefix.get(i), combination.get(i));
                }
                for (KeyValue value : getKeyValues(key)) {
                    Bucket<P> bucket = buckets.get(value);
                    if (bucket != null) {
                        found.add(bucket);
                    }
                }
            }
            return found;
        }
        if (!queried.isEmpty()) {
            // the leading fields only: every bucket under each first value whose next values were asked for
            List<Set<Object>> wanted =
                    queried.stream().map(SecondaryIndex::normalized).toList();
            for (Object first : wanted.get(0)) {
                for (KeyValue key : keysByFirst.getOrDefault(first, Set.of())) {
                    boolean matches = true;
                    for (int i = 1; i < wanted.size() && matches; i++) {
                        matches = wanted.get(i).contains(key.get(i));
                    }
                    if (matches) {
                        found.add(buckets.get(key));
                    }
                }
            }
            return found;
        }
        Document range = range(query.get(field));
        if (range == null) {
            throw new IllegalArgumentException("Index " + getName() + " cannot serve " + query);
        }
        buckets.forEach((key, bucket) -> {
            if (mayBeWithin(key.get(0), range)) {
                found.add(bucket);
            }
        });
        return found;
    }

    /** A document without the field (or with null) is never within a range of plain bounds, as in MongoDB. */
    private static boolean isAbsent(Object value) {
        return value == null || value instanceof Missing;
    }

    /**
     * False when the value is certainly outside the range: absent (the bounds are plain values, which neither null nor
     * a missing field is ever compared with; for a sparse mark such as {@code publishPending} these are nearly all the
     * documents, and reading them made a query every few seconds scan the collection), or of the range's type and
     * beyond a bound. A value of another type is left to the store's matcher, which knows MongoDB's rules for
     * comparing across types.
     */
    private static boolean mayBeWithin(Object value, Document range) {
        if (isAbsent(value)) {
            return false;
        }
        for (var bound : range.entrySet()) {
            Object limit = bound.getValue();
            boolean comparable =
                    value.getClass() == limit.getClass() || value instanceof Number && limit instanceof Number;
            if (!comparable) {
                continue;
            }
            int order = ValueComparator.asc().compare(value, limit);
            boolean inside = switch (bound.getKey()) {
                case "$gt" -> order > 0;
                case "$gte" -> order >= 0;
                case "$lt" -> order < 0;
                default -> order <= 0;
            };
            if (!inside) {
                return false;
            }
        }
        return true;
    }

    /** The range operators of a condition on the last (or first) field, or null when it is not only a range. */
    private static Document range(Object condition) {
        if (condition instanceof Document operators
                && !operators.isEmpty()
                && RANGE_OPERATORS.containsAll(operators.keySet())
                && operators.values().stream().allMatch(SecondaryIndex::isIndexable)) {
            return operators;
        }
        return null;
    }

    private static <V> NavigableMap<Object, V> within(NavigableMap<Object, V> ordered, Document range) {
        NavigableMap<Object, V> within = ordered;
        if (range == null) {
            return within;
        }
        for (var bound : range.entrySet()) {
            within = switch (bound.getKey()) {
                case "$gt" -> within.tailMap(bound.getValue(), false);
                case "$gte" -> within.tailMap(bound.getValue(), true);
                case "$lt" -> within.headMap(bound.getValue(), false);
                default -> within.headMap(bound.getValue(), true);
            };
        }
        return within;
    }

    /** The values the query asks for on the first field, or null when an index on it cannot narrow the query. */
    private Collection<?> queriedValues(Document query) {
        return valuesOf(query.get(field));
    }

    /** Every combination of one value per field, in order (few: {@code $in} lists are short). */
    private static List<List<Object>> combinations(List<Collection<?>> valuesPerField) {
        List<List<Object>> combinations = List.of(List.of());
        for (Collection<?> values : valuesPerField) {
            List<List<Object>> longer = new ArrayList<>();
            for (List<Object> combination : combinations) {
                for (Object value : values) {
                    List<Object> next = new ArrayList<>(combination);
                    next.add(value);
                    longer.add(next);
                }
            }
            combinations = longer;
        }
        return combinations;
    }

    /** Values as the index keeps them (numbers of any type as one). */
    private static Set<Object> normalized(Collection<?> values) {
        Set<Object> normalized = new HashSet<>();
        for (Object value : values) {
            normalized.add(new KeyValue(value).normalized().get(0));
        }
        return normalized;
    }

    /**
     * The values a condition on one field asks for: a plain value, {@code $eq} or {@code $in} of plain values; null
     * when an index on the field cannot narrow it.
     */
    static Collection<?> valuesOf(Object condition) {
        if (isIndexable(condition)) {
            return List.of(condition);
        }
        if (condition instanceof Document operators && operators.size() == 1) {
            Object in = operators.get("$in");
            if (in instanceof Collection<?> values && values.stream().allMatch(SecondaryIndex::isIndexable)) {
                return values;
            }
            Object eq = operators.get("$eq");
            if (isIndexable(eq)) {
                return List.of(eq);
            }
        }
        return null;
    }

    /**
     * Plain values only: null also matches missing fields, and documents, arrays and patterns match otherwise (a
     * regular expression comes over the wire as a {@link BsonRegularExpression}, {@code {field: /…/i}}).
     */
    static boolean isIndexable(Object value) {
        return value != null
                && !(value instanceof Document)
                && !(value instanceof Collection<?>)
                && !(value instanceof Pattern)
                && !(value instanceof BsonRegularExpression)
                && !value.getClass().isArray();
    }

    @Override
    public synchronized long getCount() {
        return positionsById.size();
    }

    @Override
    public long getDataSize() {
        return 0;
    }

    @Override
    public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<P> collection) {
        // not unique: nothing to refuse
    }

    @Override
    public synchronized void updateInPlace(
            Document oldDocument, Document newDocument, P position, MongoCollection<P> collection) {
        remove(oldDocument);
        add(newDocument, position, collection);
    }

    @Override
    public synchronized void drop() {
        buckets.clear();
        positionsById.clear();
        if (keysByFirst != null) {
            keysByFirst.clear();
        }
    }
}
