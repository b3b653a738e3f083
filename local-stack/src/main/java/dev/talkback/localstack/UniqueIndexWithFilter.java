package dev.talkback.localstack;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.bson.Document;

/**
 * A unique index of mongo-java-server (the {@code _id} index above all) that also serves queries with more
 * criteria than its fields, such as {@code {_id: x, revision: {$lt: 3}}} (an update only if newer) or
 * {@code {_id: x, leaseToken: t}} (an update only while holding a lease): it looks the document up by its fields
 * and the store matches the rest of the query against it, as MongoDB does. mongo-java-server by itself uses a unique
 * index only for a query naming exactly its fields, and reads the whole collection otherwise.
 */
final class UniqueIndexWithFilter<P> extends Index<P> {

    private final Index<P> unique;

    UniqueIndexWithFilter(Index<P> unique, boolean sparse) {
        super(unique.getName(), unique.getKeys(), sparse);
        this.unique = unique;
    }

    @Override
    public boolean canHandle(Document query) {
        if (unique.canHandle(query)) {
            return true;
        }
        Document byKeys = byKeys(query);
        return byKeys != null && unique.canHandle(byKeys);
    }

    @Override
    public Iterable<P> getPositions(Document query) {
        if (unique.canHandle(query)) {
            return unique.getPositions(query);
        }
        Document byKeys = byKeys(query);
        if (byKeys == null) {
            throw new IllegalArgumentException("Index " + getName() + " cannot serve " + query);
        }
        return unique.getPositions(byKeys);
    }

    /**
     * The conditions of a query this index {@linkplain #canHandle can handle} that the documents at its
     * {@linkplain #getPositions positions} still have to meet: all but those on its fields, which it looked them up by.
     */
    Document unmatched(Document query) {
        Document rest = new Document(query);
        for (IndexKey key : getKeys()) {
            rest.remove(key.getKey());
        }
        return rest;
    }

    /** The query's conditions on this index's fields, if each is a plain value, {@code $eq} or {@code $in}. */
    private Document byKeys(Document query) {
        if (query.size() <= getKeys().size()) {
            return null; // nothing more than the fields: the unique index serves it or nothing does
        }
        Document byKeys = new Document();
        for (IndexKey key : getKeys()) {
            Object condition = query.get(key.getKey());
            if (SecondaryIndex.valuesOf(condition) == null) {
                return null;
            }
            byKeys.put(key.getKey(), condition);
        }
        return byKeys;
    }

    @Override
    public P getPosition(Document document) {
        return unique.getPosition(document);
    }

    @Override
    public void checkAdd(Document document, MongoCollection<P> collection) {
        unique.checkAdd(document, collection);
    }

    @Override
    public void add(Document document, P position, MongoCollection<P> collection) {
        unique.add(document, position, collection);
    }

    @Override
    public P remove(Document document) {
        return unique.remove(document);
    }

    @Override
    public long getCount() {
        return unique.getCount();
    }

    @Override
    public long getDataSize() {
        return unique.getDataSize();
    }

    @Override
    public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<P> collection) {
        unique.checkUpdate(oldDocument, newDocument, collection);
    }

    @Override
    public void updateInPlace(Document oldDocument, Document newDocument, P position, MongoCollection<P> collection) {
        unique.updateInPlace(oldDocument, newDocument, position, collection);
    }

    @Override
    public void drop() {
        unique.drop();
    }

    @Override
    public boolean isUnique() {
        return unique.isUnique();
    }

    @Override
    public java.util.Set<KeyValue> getKeyValues(Document document) {
        return unique.getKeyValues(document);
    }

    @Override
    public String toString() {
        return unique.toString();
    }
}
