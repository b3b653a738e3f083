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
 * Only when the service decodes tokens itself rather than through Spring Boot's decoder for an identity provider: when
 * its local signing key ({@code <prefix>.local-signing-key}) is set (it takes precedence), or when no identity provider
 * is configured ({@code spring.security.oauth2.resourceserver.jwt.issuer-uri}, {@code jwk-set-uri},
 * {@code public-key-location}). See {@link BearerTokenSecurity#ownDecoder}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Documented
@Conditional(ConditionalOnOwnTokenDecoder.OwnDecoder.class)
public @interface ConditionalOnOwnTokenDecoder {

    /** The service's token settings, e.g. {@code moderation.security}. */
    String prefix();

    final class OwnDecoder implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            var attributes = metadata.getAnnotationAttributes(ConditionalOnOwnTokenDecoder.class.getName());
            String prefix = attributes == null ? "" : (String) attributes.get("prefix");
            var environment = context.getEnvironment();
            return TokenRules.has(environment, TokenRules.localKeyProperty(prefix))
                    || Stream.of(
                                    TokenRules.JWT + "issuer-uri",
                                    TokenRules.JWT + "jwk-set-uri",
                                    TokenRules.JWT + "public-key-location")
                            .noneMatch(property -> TokenRules.has(environment, property));
        }
    }
}
