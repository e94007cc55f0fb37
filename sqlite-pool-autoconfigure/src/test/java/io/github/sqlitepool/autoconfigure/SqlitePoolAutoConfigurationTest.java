package io.github.sqlitepool.autoconfigure;

import static io.github.sqlitepool.pool.PoolFixtures.findCause;
import static io.github.sqlitepool.pool.PoolFixtures.pragma;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.github.sqlitepool.pool.PoolInitializationException;
import io.github.sqlitepool.pool.SqlitePool;
import io.github.sqlitepool.pool.UnpooledSqliteDataSource;
import io.github.sqlitepool.pool.config.GroupCommitSettings;
import io.github.sqlitepool.pool.config.JournalMode;
import io.github.sqlitepool.pool.config.PoolConfigurationException;
import io.github.sqlitepool.pool.config.PragmaSettings;
import io.github.sqlitepool.pool.config.Synchronous;
import io.github.sqlitepool.pool.config.TempStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.ClassUtils;

class SqlitePoolAutoConfigurationTest {

    @TempDir
    Path dir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SqlitePoolAutoConfiguration.class,
                    DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
                    JdbcTemplateAutoConfiguration.class, JdbcClientAutoConfiguration.class));

    private String url(String file) {
        return "jdbc:sqlite:" + dir.resolve(file);
    }

    @Test
    void createsThePoolAndSpringJdbcRunsOnIt() {
        runner.withPropertyValues("sqlite.pool.url=" + url("app.db"), "sqlite.pool.max-connections=3",
                "sqlite.pool.name=orders").run(context -> {
                    assertThat(context).hasSingleBean(DataSource.class);
                    SqlitePool pool = context.getBean(SqlitePool.class);
                    assertThat(pool.stats().name()).isEqualTo("orders");
                    assertThat(pool.stats().total()).isEqualTo(3);

                    JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
                    jdbc.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
                    new TransactionTemplate(context.getBean(PlatformTransactionManager.class))
                            .executeWithoutResult(status -> jdbc.update("INSERT INTO t (v) VALUES ('a')"));
                    assertThat(context.getBean(JdbcClient.class).sql("SELECT count(*) FROM t").query(Integer.class)
                            .single()).isEqualTo(1);
                    assertThat(jdbc.queryForObject("PRAGMA journal_mode", String.class)).isEqualTo("wal");
                    assertThat(jdbc.queryForObject("PRAGMA synchronous", Integer.class)).isEqualTo(1);
                    assertThat(jdbc.queryForObject("PRAGMA cache_size", Integer.class)).isEqualTo(10000);
                    assertThat(jdbc.queryForObject("PRAGMA temp_store", Integer.class)).isEqualTo(2);
                    assertThat(jdbc.queryForObject("PRAGMA busy_timeout", Integer.class)).isEqualTo(5000);
                    assertThat(jdbc.queryForObject("PRAGMA foreign_keys", Integer.class)).isEqualTo(1);
                });
    }

    @Test
    void theStatementCacheSizeIsBoundAndDefaultsTo64() {
        runner.withPropertyValues("sqlite.pool.url=" + url("cache.db")).run(context ->
                assertThat(context.getBean(SqlitePool.class).config().statementCacheSize()).isEqualTo(64));
        runner.withPropertyValues("sqlite.pool.url=" + url("nocache.db"), "sqlite.pool.statement-cache-size=0")
                .run(context -> assertThat(context.getBean(SqlitePool.class).config().statementCacheSize()).isZero());
    }

    @Test
    void groupCommitIsOffByDefaultAndItsPropertiesReachThePool() {
        runner.withPropertyValues("sqlite.pool.url=" + url("default-group.db")).run(context ->
                assertThat(context.getBean(SqlitePool.class).config().groupCommit())
                        .isEqualTo(GroupCommitSettings.DEFAULTS));
        runner.withPropertyValues("sqlite.pool.url=" + url("group.db"),
                "sqlite.pool.write-lane.group-commit.enabled=true",
                "sqlite.pool.write-lane.group-commit.max-members=8",
                "sqlite.pool.write-lane.group-commit.max-age=25ms",
                "sqlite.pool.write-lane.group-commit.min-commit-time=0",
                "sqlite.pool.write-lane.group-commit.auto-commit-writes=true").run(context ->
                        assertThat(context.getBean(SqlitePool.class).config().groupCommit())
                                .isEqualTo(new GroupCommitSettings(true, 8, Duration.ofMillis(25), Duration.ZERO, true)));
        runner.withPropertyValues("sqlite.pool.url=" + url("bounds-only.db"),
                "sqlite.pool.write-lane.group-commit.max-members=2",
                "sqlite.pool.write-lane.group-commit.max-age=1s").run(context ->
                        assertThat(context.getBean(SqlitePool.class).config().groupCommit())
                                .as("bounds may be set while group commit is off")
                                .isEqualTo(new GroupCommitSettings(false, 2, Duration.ofSeconds(1),
                                        GroupCommitSettings.DEFAULTS.minCommitTime())));
    }

    @Test
    void everyConnectionGetsTheConfiguredPragmas() {
        runner.withPropertyValues("sqlite.pool.url=" + url("p.db"), "sqlite.pool.max-connections=4",
                "sqlite.pool.pragmas.synchronous=full", "sqlite.pool.pragmas.cache-size=-2000",
                "sqlite.pool.pragmas.temp-store=file", "sqlite.pool.pragmas.busy-timeout=750ms",
                "sqlite.pool.pragmas.foreign-keys=false", "sqlite.pool.pragmas.mmap-size=1048576",
                "sqlite.pool.pragmas.journal-size-limit=65536", "sqlite.pool.pragmas.wal-autocheckpoint=500",
                "sqlite.pool.pragmas.extra.max-page-count=100000",
                "sqlite.pool.pragmas.extra.recursive_triggers=on").run(context -> {
                    DataSource dataSource = context.getBean(DataSource.class);
                    List<Connection> leases = new ArrayList<>();
                    try {
                        for (int i = 0; i < 4; i++) {
                            leases.add(dataSource.getConnection());
                        }
                        for (Connection lease : leases) {
                            assertThat(pragma(lease, "synchronous")).isEqualTo("2");
                            assertThat(pragma(lease, "cache_size")).isEqualTo("-2000");
                            assertThat(pragma(lease, "temp_store")).isEqualTo("1");
                            assertThat(pragma(lease, "busy_timeout")).isEqualTo("750");
                            assertThat(pragma(lease, "foreign_keys")).isEqualTo("0");
                            assertThat(pragma(lease, "mmap_size")).isEqualTo("1048576");
                            assertThat(pragma(lease, "journal_size_limit")).isEqualTo("65536");
                            assertThat(pragma(lease, "wal_autocheckpoint")).isEqualTo("500");
                            assertThat(pragma(lease, "max_page_count")).isEqualTo("100000");
                            assertThat(pragma(lease, "recursive_triggers")).isEqualTo("1");
                        }
                    } finally {
                        for (Connection lease : leases) {
                            lease.close();
                        }
                    }
                });
    }

    @Test
    void hikariOnTheClasspathDoesNotAddASecondDataSource() {
        assertThat(ClassUtils.isPresent("com.zaxxer.hikari.HikariDataSource", getClass().getClassLoader()))
                .as("HikariCP is on the classpath: Spring Boot would make it the DataSource").isTrue();
        runner.withPropertyValues("sqlite.pool.url=" + url("h.db")).run(context -> {
            assertThat(context).hasSingleBean(DataSource.class);
            assertThat(context).doesNotHaveBean(HikariDataSource.class);
            assertThat(context.getBean(DataSource.class)).isInstanceOf(SqlitePool.class);
        });
    }

    @Test
    void backsOffForAUserDataSource() {
        runner.withUserConfiguration(UserDataSource.class).withPropertyValues("sqlite.pool.url=" + url("u.db"))
                .run(context -> {
                    assertThat(context).hasSingleBean(DataSource.class);
                    assertThat(context).doesNotHaveBean(SqlitePool.class);
                    assertThat(context.getBean(DataSource.class)).isInstanceOf(SimpleDriverDataSource.class);
                    assertThat(dir.resolve("u.db")).doesNotExist();
                });
    }

    @Test
    void backsOffWhenSpringDatasourceUrlNamesAnotherDatabase() {
        runner.withPropertyValues("spring.datasource.url=jdbc:postgresql://127.0.0.1:1/app",
                "sqlite.pool.url=" + url("other.db")).run(context -> {
                    assertThat(context).doesNotHaveBean(SqlitePool.class);
                    assertThat(context).doesNotHaveBean(UnpooledSqliteDataSource.class);
                    assertThat(context).hasSingleBean(HikariDataSource.class);
                    assertThat(dir.resolve("other.db")).doesNotExist();
                });
    }

    @Test
    void fallsBackToASqliteSpringDatasourceUrl() {
        runner.withPropertyValues("spring.datasource.url=" + url("from-spring.db")).run(context -> {
            SqlitePool pool = context.getBean(SqlitePool.class);
            assertThat(pool.config().url().file()).contains(dir.resolve("from-spring.db").toAbsolutePath());
            assertThat(dir.resolve("from-spring.db")).exists();
        });
    }

    @Test
    void sqlitePoolUrlWinsOverASqliteSpringDatasourceUrl() {
        runner.withPropertyValues("spring.datasource.url=" + url("spring.db"), "sqlite.pool.url=" + url("pool.db"))
                .run(context -> assertThat(context.getBean(SqlitePool.class).config().url().file())
                        .contains(dir.resolve("pool.db").toAbsolutePath()));
    }

    @Test
    void usesTheDocumentedDefaultDatabaseUnderTheWorkingDirectory() throws Exception {
        Path defaultFile = Path.of(SqliteUrlResolver.DEFAULT_URL.substring("jdbc:sqlite:".length()))
                .toAbsolutePath();
        boolean existedBefore = Files.exists(defaultFile);
        try {
            runner.run(context -> {
                SqlitePool pool = context.getBean(SqlitePool.class);
                assertThat(pool.config().url().url()).isEqualTo("jdbc:sqlite:data/sqlite-pool.db");
                assertThat(pool.config().url().file()).contains(defaultFile);
                assertThat(defaultFile).exists();
            });
        } finally {
            if (!existedBefore) {
                for (String suffix : new String[] { "", "-wal", "-shm" }) {
                    Files.deleteIfExists(Path.of(defaultFile + suffix));
                }
                Files.deleteIfExists(defaultFile.getParent());
            }
        }
    }

    @Test
    void createsParentDirectoriesOfTheDatabaseFile() {
        runner.withPropertyValues("sqlite.pool.url=" + url("a/b/c/deep.db")).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(dir.resolve("a/b/c/deep.db")).exists();
        });
    }

    @Test
    void unpooledWhenDisabled() {
        runner.withPropertyValues("sqlite.pool.url=" + url("unpooled.db"), "sqlite.pool.enabled=false")
                .run(context -> {
                    assertThat(context).hasSingleBean(DataSource.class);
                    assertThat(context.getBean(DataSource.class)).isInstanceOf(UnpooledSqliteDataSource.class);
                    JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
                    assertThat(jdbc.queryForObject("PRAGMA journal_mode", String.class)).isEqualTo("wal");
                    assertThat(jdbc.queryForObject("PRAGMA cache_size", Integer.class)).isEqualTo(10000);
                });
    }

    @Test
    void closingTheContextClosesThePool() {
        SqlitePool[] seen = new SqlitePool[1];
        runner.withPropertyValues("sqlite.pool.url=" + url("close.db")).run(context -> {
            seen[0] = context.getBean(SqlitePool.class);
            assertThat(seen[0].isClosed()).isFalse();
        });
        assertThat(seen[0].isClosed()).isTrue();
    }

    @Test
    void badValuesStopStartupNamingThePropertyAndTheValue() {
        assertRejected("sqlite.pool.max-connections=0", "sqlite.pool.max-connections must be at least 1, was 0");
        assertRejected("sqlite.pool.max-connections=-3", "sqlite.pool.max-connections must be at least 1, was -3");
        assertRejected("sqlite.pool.max-connections=100000", "sqlite.pool.max-connections must be at most 1024");
        assertRejected("sqlite.pool.acquire-timeout=0s", "sqlite.pool.acquire-timeout must be greater than 0");
        assertRejected("sqlite.pool.acquire-timeout=-1s", "sqlite.pool.acquire-timeout must be greater than 0");
        assertRejected("sqlite.pool.shutdown-timeout=0ms", "sqlite.pool.shutdown-timeout must be greater than 0");
        assertRejected("sqlite.pool.acquire-timeout=400d", "sqlite.pool.acquire-timeout must be at most 1d, was 400d");
        assertRejected("sqlite.pool.pragmas.busy-timeout=500us", "sqlite.pool.pragmas.busy-timeout must be 0");
        assertRejected("sqlite.pool.checkpoint.interval=1ns", "sqlite.pool.checkpoint.interval must be at least 1ms");
        assertRejected("sqlite.pool.leak-detection-threshold=300000d",
                "sqlite.pool.leak-detection-threshold must be at most 1d, was 300000d");
        assertRejected("sqlite.pool.name= ", "sqlite.pool.name must be");
        assertRejected("sqlite.pool.pragmas.busy-timeout=-5s", "sqlite.pool.pragmas.busy-timeout must not be negative");
        assertRejected("sqlite.pool.statement-cache-size=-1",
                "sqlite.pool.statement-cache-size must not be negative (0 turns the cache off), was -1");
        assertRejected("sqlite.pool.pragmas.mmap-size=-1",
                "sqlite.pool.pragmas.mmap-size must not be negative, was -1");
        assertRejected("sqlite.pool.pragmas.wal-autocheckpoint=-2", "sqlite.pool.pragmas.wal-autocheckpoint");
        assertRejected("sqlite.pool.pragmas.journal-mode=wal;",
                "sqlite.pool.pragmas.journal-mode must be one of delete, truncate, persist, memory, wal, off,"
                        + " was 'wal;'");
        assertRejected("sqlite.pool.pragmas.synchronous=nor-mal", "sqlite.pool.pragmas.synchronous must be one of");
        assertRejected("sqlite.pool.pragmas.temp-store=MEMORY--", "sqlite.pool.pragmas.temp-store must be one of");
        assertRejected("sqlite.pool.pragmas.extra.evil=1",
                "sqlite.pool.pragmas.extra.evil names a pragma that is not allowed");
        assertRejected("sqlite.pool.pragmas.extra.journal_mode=DELETE",
                "sqlite.pool.pragmas.extra.journal_mode is not allowed: set sqlite.pool.pragmas.journal-mode instead");
        assertRejected("sqlite.pool.pragmas.extra.max_page_count=1; DROP TABLE x",
                "sqlite.pool.pragmas.extra.max_page_count must be a plain integer, boolean or single keyword,"
                        + " was '1; DROP TABLE x'");
    }

    @Test
    void enumValuesAreAcceptedInAnyCase() {
        runner.withPropertyValues("sqlite.pool.url=" + url("case.db"), "sqlite.pool.pragmas.journal-mode=Wal",
                "sqlite.pool.pragmas.synchronous=FULL", "sqlite.pool.pragmas.temp-store= memory ")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    PragmaSettings bound = context.getBean(SqlitePool.class).config().pragmas();
                    assertThat(bound.journalMode()).isEqualTo(JournalMode.WAL);
                    assertThat(bound.synchronous()).isEqualTo(Synchronous.FULL);
                    assertThat(bound.tempStore()).isEqualTo(TempStore.MEMORY);
                    try (Connection lease = context.getBean(SqlitePool.class).getConnection()) {
                        assertThat(pragma(lease, "journal_mode")).isEqualTo("wal");
                        assertThat(pragma(lease, "synchronous")).as("FULL").isEqualTo("2");
                        assertThat(pragma(lease, "temp_store")).as("MEMORY").isEqualTo("2");
                    }
                });
    }

    @Test
    void aUrlThatIsNotSqliteIsRejected() {
        runner.withPropertyValues("sqlite.pool.url=jdbc:h2:mem:x").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(PoolConfigurationException.class)
                    .hasMessage("sqlite.pool.url must start with jdbc:sqlite:, was 'jdbc:h2:mem:x'");
        });
    }

    @Test
    void wronglyTypedValuesFailBindingWithThePropertyNameAndValue() {
        assertBindingRejected("sqlite.pool.pragmas.synchronous", "sometimes");
        assertBindingRejected("sqlite.pool.pragmas.journal-mode", "wal2");
        assertBindingRejected("sqlite.pool.max-connections", "many");
        assertBindingRejected("sqlite.pool.acquire-timeout", "soon");
        assertBindingRejected("sqlite.pool.pragmas.foreign-keys", "maybe");
        assertBindingRejected("sqlite.pool.write-lane.group-commit.max-members", "many");
        assertBindingRejected("sqlite.pool.write-lane.group-commit.max-age", "briefly");
    }

    private void assertBindingRejected(String property, String value) {
        runner.withPropertyValues("sqlite.pool.url=" + url("t.db"), property + "=" + value).run(context -> {
            assertThat(context).hasFailed();
            BindException failure = findCause(context.getStartupFailure(), BindException.class);
            assertThat(failure).as("bind failure for %s", property).isNotNull();
            assertThat(failure.getProperty().getName()).hasToString(property);
            assertThat(failure.getProperty().getValue()).isEqualTo(value);
        });
        assertThat(dir.resolve("t.db")).doesNotExist();
    }

    @Test
    void aTextFileIsNotOpenedAsADatabaseAndIsLeftUntouched() throws Exception {
        Path text = dir.resolve("notes.txt");
        byte[] content = "these are notes, not a database\n".repeat(20).getBytes(StandardCharsets.UTF_8);
        Files.write(text, content);
        FileTime modified = Files.getLastModifiedTime(text);
        runner.withPropertyValues("sqlite.pool.url=jdbc:sqlite:" + text).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("is not a SQLite database");
            assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(SQLException.class);
            assertThat(findCause(context.getStartupFailure(), PoolInitializationException.class)).isNotNull();
        });
        assertThat(Files.readAllBytes(text)).isEqualTo(content);
        assertThat(Files.getLastModifiedTime(text)).isEqualTo(modified);
        assertThat(dir.resolve("notes.txt-wal")).doesNotExist();
        assertThat(dir.resolve("notes.txt-shm")).doesNotExist();
    }

    @Test
    void aDirectoryIsNotADatabase() {
        runner.withPropertyValues("sqlite.pool.url=jdbc:sqlite:" + dir).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("is a directory");
        });
    }

    @Test
    void anExistingDatabaseIsOpenedWithItsData() throws Exception {
        Path file = dir.resolve("existing.db");
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = raw.createStatement()) {
            statement.execute("CREATE TABLE kept (v TEXT)");
            statement.execute("INSERT INTO kept VALUES ('still here')");
        }
        runner.withPropertyValues("sqlite.pool.url=jdbc:sqlite:" + file).run(context -> assertThat(
                context.getBean(JdbcTemplate.class).queryForObject("SELECT v FROM kept", String.class))
                .isEqualTo("still here"));
    }

    private void assertRejected(String property, String expectedMessage) {
        runner.withPropertyValues("sqlite.pool.url=" + url("rejected.db"), property).run(context -> {
            assertThat(context).hasFailed();
            PoolConfigurationException failure = findCause(context.getStartupFailure(),
                    PoolConfigurationException.class);
            assertThat(failure).as("cause of %s", property).isNotNull();
            assertThat(failure.getMessage()).startsWith(expectedMessage);
        });
        assertThat(dir.resolve("rejected.db")).as("database file after rejecting %s", property).doesNotExist();
    }

    @Configuration(proxyBeanMethods = false)
    static class UserDataSource {

        @Bean
        DataSource userDataSource() {
            return new SimpleDriverDataSource(new org.sqlite.JDBC(), "jdbc:sqlite::memory:");
        }
    }
}
