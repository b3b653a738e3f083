package dev.talkback.comments;

/** The flow on spring-kafka-test's embedded KRaft broker and mongo-java-server. */
@EmbeddedBackendTest
class EmbeddedCommentFlowTests extends CommentFlowScenarios {}
