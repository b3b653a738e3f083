package dev.talkback.notification;

import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * {@link NotificationProperties} for unit tests: bound as the service binds them, so a test gets the record's
 * defaults and names only the settings it cares about.
 */
public final class TestProperties {

    private TestProperties() {}

    /** @param settings {@code name=value}, full names, e.g. {@code "notification.site.name=Daily Example"} */
    public static NotificationProperties with(String... settings) {
        Map<String, String> map = new HashMap<>();
        for (String setting : settings) {
            int equals = setting.indexOf('=');
            map.put(setting.substring(0, equals), setting.substring(equals + 1));
        }
        return with(map);
    }

    public static NotificationProperties with(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings))
                .bindOrCreate("notification", NotificationProperties.class);
    }
}
