package dev.talkback.support.mongo;

import java.util.List;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.data.mongodb.MongoCollectionUtils;
import org.springframework.data.mongodb.core.index.IndexDefinition;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.util.StringUtils;

/**
 * The indexes a feature's queries need on one collection, declared as a bean beside the feature (a {@code static @Bean}
 * method, so that declaring it wakes nothing else) and created at start by {@link StoreIndexes}.
 *
 * @param collection the collection's name
 * @param indexes the indexes to create; creating one that exists with the same keys and options does nothing
 * @param retired names of indexes an earlier version created that no query uses any more: dropped where they exist
 */
public record CollectionIndexes(String collection, List<IndexDefinition> indexes, List<String> retired) {

    public CollectionIndexes {
        indexes = List.copyOf(indexes);
        retired = List.copyOf(retired);
    }

    /** Indexes on the named collection. */
    public static CollectionIndexes on(String collection, IndexDefinition... indexes) {
        return new CollectionIndexes(collection, List.of(indexes), List.of());
    }

    /** Indexes on the collection of a mapped document type, named as Spring Data names it. */
    public static CollectionIndexes on(Class<?> documentType, IndexDefinition... indexes) {
        return on(collectionOf(documentType), indexes);
    }

    /** These indexes, and the named ones to drop where an earlier version created them. */
    public CollectionIndexes retiring(String... names) {
        return new CollectionIndexes(collection, indexes, List.of(names));
    }

    /** The collection Spring Data maps the type to: its {@code @Document} collection, or its uncapitalised name. */
    static String collectionOf(Class<?> documentType) {
        Document document = AnnotatedElementUtils.findMergedAnnotation(documentType, Document.class);
        return document != null && StringUtils.hasText(document.collection())
                ? document.collection()
                : MongoCollectionUtils.getPreferredCollectionName(documentType);
    }
}
