package io.github.sqlitepool.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import io.github.sqlitepool.pool.SqlitePool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.JdbcTemplate;

/** The SQLite and PostgreSQL dialects stay in step: same migration versions, same columns. */
class DialectParityTest {

    @TempDir
    Path dir;

    @Test
    void bothDialectsShipTheSameMigrationVersions() {
        assertThat(versions(new SqliteStateSql())).isNotEmpty().isEqualTo(versions(new PostgresStateSql()));
    }

    @Test
    void dialectIsPickedByProductNameAndAnyOtherIsRefusedByName() {
        assertThat(StateDialects.forProduct("SQLite")).isInstanceOf(SqliteStateSql.class);
        assertThat(StateDialects.forProduct("PostgreSQL")).isInstanceOf(PostgresStateSql.class);
        assertThatThrownBy(() -> StateDialects.forProduct("MySQL")).isInstanceOf(StateException.class)
                .hasMessageContaining("supports SQLite and PostgreSQL, but the data source is MySQL");
    }

    @Test
    @DisabledIfSystemProperty(named = "skipPostgres", matches = "true")
    void bothDialectsMigrateToTheSameColumns() {
        List<String> sqliteColumns;
        try (SqlitePool pool = StateFixtures.pool(dir.resolve("state.db"), 1)) {
            StateFixtures.manager(pool, dir.resolve("backups"));
            sqliteColumns = new JdbcTemplate(pool).queryForList(
                    "SELECT name FROM pragma_table_info('stories') ORDER BY name", String.class);
        }
        List<String> postgresColumns;
        try (HikariDataSource postgres = PostgresServer.get().newDatabase()) {
            new StateManager(postgres, StateManagerOptions.defaults()).migrate();
            postgresColumns = new JdbcTemplate(postgres).queryForList("SELECT column_name FROM information_schema.columns"
                    + " WHERE table_schema = current_schema() AND table_name = 'stories' ORDER BY column_name",
                    String.class);
        }

        assertThat(sqliteColumns).hasSize(11).isEqualTo(postgresColumns);
    }

    private static List<Integer> versions(StateSql sql) {
        return new StateMigrator(null, new org.springframework.jdbc.core.JdbcTemplate(), sql, null).migrations().stream()
                .map(Migration::version).toList();
    }
}
