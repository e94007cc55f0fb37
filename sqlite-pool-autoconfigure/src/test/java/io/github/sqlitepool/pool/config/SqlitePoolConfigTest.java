package io.github.sqlitepool.pool.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Pool settings are validated in one place, with the property and the value in every message. */
class SqlitePoolConfigTest {

    private static SqlitePoolConfig.Builder valid() {
        return SqlitePoolConfig.builder().url("jdbc:sqlite:app.db");
    }

    @Test
    void defaultsMatchTheOriginal() {
        SqlitePoolConfig config = valid().build();
        assertThat(config.maxConnections()).isEqualTo(5);
        assertThat(config.acquireTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.name()).isEqualTo("sqlite-pool");
        assertThat(config.pragmas().pragmas()).isEqualTo(PragmaSettings.defaults().pragmas());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void maxConnectionsBelowOneIsRejected(int value) {
        assertThatThrownBy(() -> valid().maxConnections(value).build())
                .isInstanceOf(PoolConfigurationException.class)
                .hasMessage("sqlite.pool.max-connections must be at least 1, was " + value);
    }

    @ParameterizedTest
    @ValueSource(ints = {SqlitePoolConfig.MAX_CONNECTIONS_LIMIT + 1, Integer.MAX_VALUE})
    void hugeMaxConnectionsIsRejected(int value) {
        assertThatThrownBy(() -> valid().maxConnections(value).build())
                .isInstanceOf(PoolConfigurationException.class)
                .hasMessage("sqlite.pool.max-connections must be at most " + SqlitePoolConfig.MAX_CONNECTIONS_LIMIT
                        + ", was " + value);
        assertThat(valid().maxConnections(SqlitePoolConfig.MAX_CONNECTIONS_LIMIT).build().maxConnections())
                .isEqualTo(SqlitePoolConfig.MAX_CONNECTIONS_LIMIT);
    }

    @ParameterizedTest
    @CsvSource({"PT0S, 0s", "PT-1S, -1s", "PT-0.001S, -1ms"})
    void zeroOrNegativeTimeoutsAreRejected(Duration value, String written) {
        assertThatThrownBy(() -> valid().acquireTimeout(value).build())
                .isInstanceOf(PoolConfigurationException.class)
                .hasMessage("sqlite.pool.acquire-timeout must be greater than 0, was " + written);
        assertThatThrownBy(() -> valid().shutdownTimeout(value).build())
                .isInstanceOf(PoolConfigurationException.class)
                .hasMessage("sqlite.pool.shutdown-timeout must be greater than 0, was " + written);
    }

    @Test
    void missingOrOverlongTimeoutsAreRejected() {
        assertThatThrownBy(() -> valid().acquireTimeout(null).build())
                .hasMessage("sqlite.pool.acquire-timeout must be greater than 0, was null");
        assertThatThrownBy(() -> valid().shutdownTimeout(Duration.ofDays(2)).build())
                .hasMessage("sqlite.pool.shutdown-timeout must be at most 1d, was 2d");
        assertThat(valid().acquireTimeout(Duration.ofMillis(1)).build().acquireTimeout())
                .isEqualTo(Duration.ofMillis(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t"})
    void blankUrlIsRejected(String url) {
        assertThatThrownBy(() -> SqlitePoolConfig.builder().url(url).build())
                .isInstanceOf(PoolConfigurationException.class)
                .hasMessage("sqlite.pool.url must be set, was '" + url + "'");
        assertThatThrownBy(() -> SqlitePoolConfig.builder().build())
                .hasMessage("sqlite.pool.url must be set, was null");
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:postgresql://localhost/app", "jdbc:h2:mem:x", "app.db", "sqlite:app.db",
            "JDBC:SQLITE:app.db"})
    void nonSqliteUrlIsRejected(String url) {
        assertThatThrownBy(() -> SqlitePoolConfig.builder().url(url).build())
                .isInstanceOf(PoolConfigurationException.class)
                .hasMessage("sqlite.pool.url must start with jdbc:sqlite:, was '" + url + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "bad\nname"})
    void blankOrControlCharacterNameIsRejected(String name) {
        assertThatThrownBy(() -> valid().name(name).build())
                .isInstanceOf(PoolConfigurationException.class)
                .hasMessage("sqlite.pool.name must be a non-blank name without control characters, was '"
                        + name.replace("\n", "\\n") + "'");
        assertThatThrownBy(() -> valid().name(null).build())
                .hasMessageStartingWith("sqlite.pool.name must be a non-blank name");
    }

    @Test
    void durationsAppliedInWholeMillisecondsMustBeAtLeastOne() {
        assertThatThrownBy(() -> valid().checkpoint(new CheckpointSettings(true, Duration.ofNanos(500_000), 0,
                Duration.ofMillis(100), Duration.ofSeconds(30))).build())
                .hasMessage("sqlite.pool.checkpoint.interval must be at least 1ms: it is applied in whole milliseconds,"
                        + " was 500us");
        assertThatThrownBy(() -> valid().checkpoint(new CheckpointSettings(true, Duration.ofSeconds(1), 0,
                Duration.ofNanos(1), Duration.ofSeconds(30))).build())
                .hasMessage("sqlite.pool.checkpoint.max-writer-block must be at least 1ms: it is applied in whole"
                        + " milliseconds, was 1ns");
    }

    @Test
    void aLeakDetectionThresholdIsAtMostADay() {
        assertThatThrownBy(() -> valid().leakDetectionThreshold(Duration.ofDays(400)).build())
                .hasMessage("sqlite.pool.leak-detection-threshold must be at most 1d, was 400d");
        assertThat(valid().leakDetectionThreshold(Duration.ofHours(24)).build().leakDetectionThreshold())
                .contains(Duration.ofHours(24));
    }

    @ParameterizedTest
    @CsvSource({"PT24H, 1d", "PT25H, 25h", "PT48H, 2d", "PT2562047788015200H, 106751991167300d", "PT1.5S, 1500ms", "PT0S, 0s", "PT-1S, -1s", "PT1M30S, 90s",
            "PT0.000000001S, 1ns", "PT0.0005S, 500us"})
    void durationsAreQuotedAsTheyAreWrittenInApplicationYml(Duration value, String text) {
        assertThat(Durations.text(value)).isEqualTo(text);
    }

    @Test
    void missingPragmasAreRejected() {
        assertThatThrownBy(() -> valid().pragmas(null).build())
                .hasMessage("sqlite.pool.pragmas must be set, was null");
    }

    @Test
    void statementCacheSizeDefaultsTo64AndMustBeBetween0AndTheLimit() {
        assertThat(valid().build().statementCacheSize()).isEqualTo(64);
        assertThat(valid().statementCacheSize(0).build().statementCacheSize()).isZero();
        assertThat(valid().statementCacheSize(SqlitePoolConfig.MAX_STATEMENT_CACHE_SIZE).build().statementCacheSize())
                .isEqualTo(SqlitePoolConfig.MAX_STATEMENT_CACHE_SIZE);
        assertThatThrownBy(() -> valid().statementCacheSize(-1).build())
                .isInstanceOf(PoolConfigurationException.class)
                .hasMessage("sqlite.pool.statement-cache-size must not be negative (0 turns the cache off), was -1");
        assertThatThrownBy(() -> valid().statementCacheSize(SqlitePoolConfig.MAX_STATEMENT_CACHE_SIZE + 1).build())
                .isInstanceOf(PoolConfigurationException.class)
                .hasMessage("sqlite.pool.statement-cache-size must be at most " + SqlitePoolConfig.MAX_STATEMENT_CACHE_SIZE
                        + ", was " + (SqlitePoolConfig.MAX_STATEMENT_CACHE_SIZE + 1));
    }
}
