package io.github.sqlitepool.autoconfigure;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import io.github.sqlitepool.pool.config.JournalMode;
import io.github.sqlitepool.pool.config.PoolConfigurationException;
import io.github.sqlitepool.pool.config.SqlitePoolConfig;
import io.github.sqlitepool.pool.config.Synchronous;
import io.github.sqlitepool.pool.config.TempStore;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The one place where {@code sqlite.pool.*} becomes a validated {@link SqlitePoolConfig}:
 * resolves the URL, refuses sloppy enum spellings, and lets {@link SqlitePoolConfig.Builder}
 * check every value.
 */
final class PoolConfigFactory {

    private static final Map<String, Class<? extends Enum<?>>> ENUM_PROPERTIES = Map.of(
            "sqlite.pool.pragmas.journal-mode", JournalMode.class,
            "sqlite.pool.pragmas.synchronous", Synchronous.class,
            "sqlite.pool.pragmas.temp-store", TempStore.class);

    private static final String URL_PROPERTY = "sqlite.pool.url";

    private static final String DATASOURCE_URL_PROPERTY = "spring.datasource.url";

    private PoolConfigFactory() {
    }

    /**
     * @throws PoolConfigurationException naming the property when a value is not usable
     */
    static SqlitePoolConfig create(SqlitePoolProperties properties, Environment environment) {
        checkEnumSpellings(Binder.get(environment));
        String url = SqliteUrlResolver.resolve(properties, environment);
        try {
            return properties.toConfig(url);
        }
        catch (PoolConfigurationException ex) {
            if (properties.getUrl() == null && URL_PROPERTY.equals(ex.getProperty())
                    && url.equals(environment.getProperty(DATASOURCE_URL_PROPERTY))) {
                // The URL came from spring.datasource.url: name the property the user actually set.
                throw ex.forProperty(DATASOURCE_URL_PROPERTY);
            }
            throw ex;
        }
    }

    /**
     * Spring Boot binds enums leniently, dropping characters such as {@code ;} or {@code -}, so
     * {@code journal-mode: "wal;"} would start as {@code wal}. A value like that is a mistake
     * (or an attack on the configuration), so the configured text must be a name as it is.
     */
    private static void checkEnumSpellings(Binder binder) {
        ENUM_PROPERTIES.forEach((property, type) -> binder.bind(property, String.class).ifBound(raw -> {
            String name = raw.trim().toUpperCase(Locale.ROOT);
            boolean known = Arrays.stream(type.getEnumConstants()).anyMatch(c -> c.name().equals(name));
            if (!known) {
                throw new PoolConfigurationException(property, raw, "must be one of "
                        + Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT))
                                .collect(Collectors.joining(", ")));
            }
        }));
    }
}
