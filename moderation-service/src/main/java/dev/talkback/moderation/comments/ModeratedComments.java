package dev.talkback.moderation.comments;

import org.springframework.data.mongodb.repository.ReactiveMongoRepository;

/** The {@code comments} collection, one document per comment id. */
interface ModeratedComments extends ReactiveMongoRepository<ModeratedComment, String>, NewComments {}
