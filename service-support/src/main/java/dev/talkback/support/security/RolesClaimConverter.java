package dev.talkback.support.security;

import java.util.Collection;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Roles from the configured claim (a list, or a space/comma separated string), and from Keycloak's
 * {@code realm_access.roles}, as {@code ROLE_<NAME>} authorities, names matched exactly ({@code MODERATOR},
 * {@code ADMIN}). Realm roles count because the token's audience is checked: a token of another client of the
 * realm does not name this service.
 */
public final class RolesClaimConverter implements Converter<Jwt, Collection<GrantedAuthority>> {

    /** The claim the services read roles from unless {@code <prefix>.roles-claim} says otherwise. */
    public static final String DEFAULT_CLAIM = "roles";

    private final String claim;

    public RolesClaimConverter(String claim) {
        this.claim = claim;
    }

    @Override
    public Collection<GrantedAuthority> convert(Jwt jwt) {
        Stream<String> roles = names(jwt.getClaims().get(claim));
        if (jwt.getClaims().get("realm_access") instanceof Map<?, ?> realm) {
            roles = Stream.concat(roles, names(realm.get("roles")));
        }
        return roles.map(String::trim)
                .filter(role -> !role.isEmpty())
                // exactly as issued: "moderator" is not MODERATOR (an IdP's lower-case role of another meaning must
                // not become one of ours)
                .map(role -> (GrantedAuthority) new SimpleGrantedAuthority("ROLE_" + role))
                .distinct()
                .toList();
    }

    private static Stream<String> names(@Nullable Object value) {
        if (value instanceof Collection<?> list) {
            return list.stream().map(String::valueOf);
        }
        if (value instanceof String text) {
            return Stream.of(text.split("[\\s,]+"));
        }
        return Stream.empty();
    }
}
