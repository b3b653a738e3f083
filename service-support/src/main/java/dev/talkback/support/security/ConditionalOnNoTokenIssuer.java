package dev.talkback.support.security;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.stream.Stream;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Only when no token issuer is configured: neither the service's local signing key ({@code <prefix>.local-signing-key})
 * nor an identity provider ({@code spring.security.oauth2.resourceserver.jwt.issuer-uri}, {@code jwk-set-uri},
 * {@code public-key-location}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Documented
@Conditional(ConditionalOnNoTokenIssuer.NoIssuer.class)
public @interface ConditionalOnNoTokenIssuer {

    /** The service's token settings, e.g. {@code moderation.security}. */
    String prefix();

    final class NoIssuer implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            var attributes = metadata.getAnnotationAttributes(ConditionalOnNoTokenIssuer.class.getName());
            String prefix = attributes == null ? "" : (String) attributes.get("prefix");
            return Stream.of(
                            TokenRules.localKeyProperty(prefix),
                            TokenRules.JWT + "issuer-uri",
                            TokenRules.JWT + "jwk-set-uri",
                            TokenRules.JWT + "public-key-location")
                    .noneMatch(property -> TokenRules.has(context.getEnvironment(), property));
        }
    }
}
