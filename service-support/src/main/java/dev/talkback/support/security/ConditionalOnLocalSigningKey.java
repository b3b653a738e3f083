package dev.talkback.support.security;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Only when the service's local signing key ({@code <prefix>.local-signing-key}) is set. */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Documented
@Conditional(ConditionalOnLocalSigningKey.KeySet.class)
public @interface ConditionalOnLocalSigningKey {

    /** The service's token settings, e.g. {@code moderation.security}. */
    String prefix();

    final class KeySet implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            var attributes = metadata.getAnnotationAttributes(ConditionalOnLocalSigningKey.class.getName());
            String prefix = attributes == null ? "" : (String) attributes.get("prefix");
            return TokenRules.has(context.getEnvironment(), TokenRules.localKeyProperty(prefix));
        }
    }
}
