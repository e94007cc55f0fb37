package io.github.sqlitepool.it;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts a real Spring Boot application (full auto-configuration, the starter included) on a
 * SQLite file, with only the named integrations.
 */
public final class TestApplications {

    private TestApplications() {
    }

    /** The JDBC URL of a database file in the test's directory. */
    public static String url(Path directory, String fileName) {
        return "jdbc:sqlite:" + directory.resolve(fileName);
    }

    /**
     * Runs {@code application} on {@code url}, with {@code database} as its {@code DataSource}
     * and {@code properties} ("name=value") over the defaults.
     */
    public static ConfigurableApplicationContext run(Database database, String url, Set<Integration> integrations,
            Class<?> application, String... properties) {
        return builder(database, url, integrations, application, properties).web(WebApplicationType.NONE).run();
    }

    /** As {@link #run}, but with an embedded web server on a free port. */
    public static ConfigurableApplicationContext runWeb(Database database, String url, Set<Integration> integrations,
            Class<?> application, String... properties) {
        return builder(database, url, integrations, application, properties)
                .web(WebApplicationType.SERVLET)
                .properties("server.port=0")
                .run();
    }

    private static SpringApplicationBuilder builder(Database database, String url, Set<Integration> integrations,
            Class<?> application, String... properties) {
        List<Class<?>> sources = new ArrayList<>(List.of(application));
        if (database == Database.PLAIN_DRIVER) {
            sources.add(PlainDriverConfiguration.class);
        }
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("spring.datasource.url", url);
        defaults.put("spring.main.banner-mode", "off");
        defaults.put("spring.autoconfigure.exclude", excluded(integrations));
        for (String property : properties) {
            int equals = property.indexOf('=');
            defaults.put(property.substring(0, equals), property.substring(equals + 1));
        }
        return new SpringApplicationBuilder(sources.toArray(Class<?>[]::new)).properties(defaults);
    }

    private static String excluded(Set<Integration> integrations) {
        Set<Integration> absent = EnumSet.allOf(Integration.class);
        absent.removeAll(integrations);
        return absent.stream()
                .flatMap(integration -> integration.autoConfigurations().stream())
                .collect(Collectors.joining(","));
    }
}
