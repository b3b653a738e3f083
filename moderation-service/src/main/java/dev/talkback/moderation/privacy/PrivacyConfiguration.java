package dev.talkback.moderation.privacy;

import dev.talkback.moderation.ModerationProperties;
import dev.talkback.support.privacy.AddressKeys;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The site key every lookup by email address goes through. */
@Configuration(proxyBeanMethods = false)
class PrivacyConfiguration {

    /**
     * Addresses are stored and looked up as HMAC-SHA256 under {@code moderation.privacy.address-secret}, so that the
     * keys in the database cannot be reversed by hashing a list of known addresses.
     */
    @Bean
    AddressKeys addressKeys(ModerationProperties properties) {
        return new AddressKeys(properties.privacy().addressSecret(), "moderation.privacy.address-secret");
    }
}
