package io.github.sqlitepool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Consumer;

import io.github.sqlitepool.jdbc.SqliteExceptionTranslator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionManagerCustomizationAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.InvalidDataAccessResourceUsageException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.jdbc.support.SQLExceptionTranslator;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One test per row of docs/exceptions.md: each error produced by real SQLite through the pool and
 * the JdbcTemplate, JdbcClient and JdbcTransactionManager that Spring Boot creates.
 */
class SqliteExceptionTranslatorTest {

    @TempDir
    Path dir;

    private ApplicationContextRunner runner(String... properties) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SqlitePoolAutoConfiguration.class,
                        SqliteExceptionTranslationAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
                        JdbcClientAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
                        TransactionAutoConfiguration.class, TransactionManagerCustomizationAutoConfiguration.class))
                .withPropertyValues("sqlite.pool.url=jdbc:sqlite:" + dir.resolve("app.db"), "sqlite.pool.max-connections=2")
                .withPropertyValues(properties);
    }

    private void withSchema(Consumer<AssertableApplicationContext> test, String... properties) {
        runner(properties).run(context -> {
            assertThat(context).hasNotFailed();
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            jdbc.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY, code TEXT UNIQUE, name TEXT NOT NULL,"
                    + " qty INTEGER CHECK (qty >= 0))");
            jdbc.execute("CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id)"
                    + " DEFERRABLE INITIALLY DEFERRED)");
            jdbc.execute("CREATE TABLE tagged (tag TEXT PRIMARY KEY)");
            jdbc.update("INSERT INTO parent (id, code, name, qty) VALUES (1, 'a', 'first', 1)");
            jdbc.update("INSERT INTO tagged VALUES ('x')");
            test.accept(context);
        });
    }

    private static SQLiteErrorCode resultCode(Throwable translated) {
        assertThat(translated.getCause()).isInstanceOf(SQLiteException.class);
        return ((SQLiteException) translated.getCause()).getResultCode();
    }

    @Test
    void theTranslatorIsTheOneOfBootsJdbcTemplateAndTransactionManager() {
        runner().run(context -> {
            SQLExceptionTranslator translator = context.getBean(SQLExceptionTranslator.class);
            assertThat(translator).isInstanceOf(SqliteExceptionTranslator.class);
            assertThat(context.getBean(JdbcTemplate.class).getExceptionTranslator()).isSameAs(translator);
            assertThat(context.getBean(JdbcTransactionManager.class).getExceptionTranslator()).isSameAs(translator);
        });
    }

    @Test
    void anApplicationsOwnTranslatorWins() {
        runner().withUserConfiguration(OwnTranslator.class).run(context -> {
            assertThat(context).hasSingleBean(SQLExceptionTranslator.class);
            assertThat(context.getBean(JdbcTemplate.class).getExceptionTranslator())
                    .isSameAs(context.getBean("ownTranslator"));
        });
    }

    @Test
    void uniqueViolationIsDuplicateKey() {
        withSchema(context -> {
            Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> context.getBean(JdbcClient.class)
                    .sql("INSERT INTO parent (code, name) VALUES ('a', 'again')").update());
            assertThat(thrown).isInstanceOf(DuplicateKeyException.class);
            assertThat(resultCode(thrown)).isEqualTo(SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE);
        });
    }

    @Test
    void primaryKeyViolationIsDuplicateKey() {
        withSchema(context -> {
            Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
                    () -> context.getBean(JdbcTemplate.class).update("INSERT INTO tagged VALUES ('x')"));
            assertThat(thrown).isInstanceOf(DuplicateKeyException.class);
            assertThat(resultCode(thrown)).isEqualTo(SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY);
        });
    }

    @Test
    void notNullViolationIsDataIntegrityViolation() {
        withSchema(context -> assertIntegrity(
                () -> context.getBean(JdbcTemplate.class).update("INSERT INTO parent (code) VALUES ('b')"),
                SQLiteErrorCode.SQLITE_CONSTRAINT_NOTNULL));
    }

    @Test
    void checkViolationIsDataIntegrityViolation() {
        withSchema(context -> assertIntegrity(() -> context.getBean(JdbcTemplate.class)
                .update("UPDATE parent SET qty = -1 WHERE id = 1"), SQLiteErrorCode.SQLITE_CONSTRAINT_CHECK));
    }

    @Test
    void foreignKeyViolationAtCommitIsDataIntegrityViolationFromTheTransactionManager() {
        withSchema(context -> {
            TransactionTemplate transactions = new TransactionTemplate(context.getBean(JdbcTransactionManager.class));
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            // The key is deferred: the statement succeeds, the commit fails.
            assertIntegrity(() -> transactions.executeWithoutResult(
                    status -> jdbc.update("INSERT INTO child (parent_id) VALUES (99)")),
                    SQLiteErrorCode.SQLITE_CONSTRAINT_FOREIGNKEY);
        });
    }

    @Test
    void datatypeMismatchIsDataIntegrityViolation() {
        withSchema(context -> assertIntegrity(() -> context.getBean(JdbcTemplate.class)
                .update("INSERT INTO parent (id, name) VALUES ('not a number', 'x')"), SQLiteErrorCode.SQLITE_MISMATCH));
    }

    private static void assertIntegrity(Runnable call, SQLiteErrorCode expected) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(call::run);
        assertThat(thrown).isInstanceOf(DataIntegrityViolationException.class).isNotInstanceOf(DuplicateKeyException.class);
        assertThat(resultCode(thrown)).isEqualTo(expected);
    }

    @Test
    void busyBecauseAnotherProcessHoldsTheWriteLockIsCannotAcquireLock() throws Exception {
        withSchema(context -> {
            try (Connection outside = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("app.db"));
                    Statement statement = outside.createStatement()) {
                statement.execute("BEGIN IMMEDIATE");
                Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> context
                        .getBean(JdbcTemplate.class).update("UPDATE parent SET qty = 2 WHERE id = 1"));
                assertThat(thrown).isInstanceOf(CannotAcquireLockException.class);
                assertThat(resultCode(thrown).code & 0xff).isEqualTo(SQLiteErrorCode.SQLITE_BUSY.code);
                statement.execute("ROLLBACK");
            }
            catch (SQLException ex) {
                throw new IllegalStateException(ex);
            }
        }, "sqlite.pool.pragmas.busy-timeout=100ms");
    }

    @Test
    void aTableLockedByARunningStatementOfTheSameConnectionIsCannotAcquireLock() {
        withSchema(context -> {
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            TransactionTemplate transactions = new TransactionTemplate(context.getBean(JdbcTransactionManager.class));
            Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> transactions.executeWithoutResult(
                    status -> jdbc.query("SELECT id FROM parent", row -> {
                        jdbc.execute("DROP TABLE parent");
                    })));
            assertThat(thrown).isInstanceOf(CannotAcquireLockException.class);
            assertThat(resultCode(thrown).code & 0xff).isEqualTo(SQLiteErrorCode.SQLITE_LOCKED.code);
        });
    }

    @Test
    void aFullDatabaseIsDataAccessResourceFailure() {
        runner("sqlite.pool.pragmas.extra.max_page_count=16").run(context -> {
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            jdbc.execute("CREATE TABLE blobs (data BLOB)");
            Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> {
                for (int i = 0; i < 1_000; i++) {
                    jdbc.update("INSERT INTO blobs VALUES (?)", (Object) new byte[4_000]);
                }
            });
            assertThat(thrown).isInstanceOf(DataAccessResourceFailureException.class);
            assertThat(resultCode(thrown)).isEqualTo(SQLiteErrorCode.SQLITE_FULL);
        });
    }

    @Test
    void aDatabaseThatCannotBeOpenedIsDataAccessResourceFailure() {
        withSchema(context -> {
            Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> context.getBean(JdbcTemplate.class)
                    .execute("ATTACH DATABASE '" + dir.resolve("no/such/dir/x.db") + "' AS other"));
            assertThat(thrown).isInstanceOf(DataAccessResourceFailureException.class);
            assertThat(resultCode(thrown).code & 0xff).isEqualTo(SQLiteErrorCode.SQLITE_CANTOPEN.code);
        });
    }

    @Test
    void aFileThatIsNotADatabaseIsDataAccessResourceFailure() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.txt"), "this is not a database file, just text ".repeat(200));
        withSchema(context -> {
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> {
                jdbc.execute("ATTACH DATABASE '" + text + "' AS notes");
                jdbc.queryForList("SELECT name FROM notes.sqlite_master");
            });
            assertThat(thrown).isInstanceOf(DataAccessResourceFailureException.class);
            assertThat(resultCode(thrown)).isEqualTo(SQLiteErrorCode.SQLITE_NOTADB);
        });
    }

    @Test
    void aWriteInAReadOnlyTransactionIsInvalidResourceUsage() {
        withSchema(context -> {
            TransactionTemplate readOnly = new TransactionTemplate(context.getBean(JdbcTransactionManager.class));
            readOnly.setReadOnly(true);
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> readOnly.executeWithoutResult(
                    status -> jdbc.update("UPDATE parent SET qty = 5 WHERE id = 1")));
            // The pool refuses it before SQLite sees it, with SQLState 25006 (read-only SQL transaction).
            assertThat(thrown).isInstanceOf(InvalidDataAccessResourceUsageException.class);
            assertThat(((SQLException) thrown.getCause()).getSQLState()).isEqualTo("25006");
            assertThat(jdbc.queryForObject("SELECT qty FROM parent WHERE id = 1", Integer.class)).isEqualTo(1);
        });
    }

    @Test
    void aWriteToADatabaseOpenedReadOnlyIsInvalidResourceUsage() {
        withSchema(context -> { });
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SqlitePoolAutoConfiguration.class,
                        SqliteExceptionTranslationAutoConfiguration.class, JdbcTemplateAutoConfiguration.class))
                .withPropertyValues("sqlite.pool.url=jdbc:sqlite:file:" + dir.resolve("app.db") + "?mode=ro",
                        "sqlite.pool.pragmas.journal-mode=wal")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> context
                            .getBean(JdbcTemplate.class).update("UPDATE parent SET qty = 5 WHERE id = 1"));
                    assertThat(thrown).isInstanceOf(InvalidDataAccessResourceUsageException.class);
                    assertThat(resultCode(thrown)).isEqualTo(SQLiteErrorCode.SQLITE_READONLY);
                    assertThat(context.getBean(io.github.sqlitepool.pool.SqlitePool.class).storageHealth().writable())
                            .as("a use the database does not allow, not a failure of its storage").isTrue();
                });
    }

    @Test
    void errorsThatAreNotSqlitesKeepSpringsTranslation() {
        SqliteExceptionTranslator translator = new SqliteExceptionTranslator();
        assertThat(translator.translate("lease", null, new java.sql.SQLTransientConnectionException(
                "Database connection pool exhausted"))).isInstanceOf(TransientDataAccessResourceException.class);
        // Spring has no category for it either; JdbcTemplate then throws UncategorizedSQLException.
        assertThat(translator.translate("run", "SELECT 1", new SQLException("something else"))).isNull();
    }

    @Test
    void withoutTheTranslatorTheSameErrorIsUncategorized() {
        withSchema(context -> {
            JdbcTemplate plain = new JdbcTemplate(context.getBean(javax.sql.DataSource.class));
            assertThatThrownBy(() -> plain.update("INSERT INTO tagged VALUES ('x')"))
                    .isInstanceOf(UncategorizedSQLException.class);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnTranslator {

        @Bean
        SQLExceptionTranslator ownTranslator() {
            return (task, sql, ex) -> null;
        }
    }
}
