package io.github.sqlitepool.state;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import io.github.sqlitepool.pool.SqlitePool;
import io.github.sqlitepool.pool.config.SqlitePoolConfig;

/** Real SQLite files, pools and managers for the state tests. */
final class StateFixtures {

    private StateFixtures() {
    }

    static SqlitePool pool(Path file, int size) {
        return pool(file, size, Duration.ofSeconds(10));
    }

    static SqlitePool pool(Path file, int size, Duration acquireTimeout) {
        return new SqlitePool(SqlitePoolConfig.builder().url("jdbc:sqlite:" + file).name("state-test")
                .maxConnections(size).acquireTimeout(acquireTimeout).build());
    }

    static StateManager manager(SqlitePool pool, Path backupDir) {
        StateManager manager = new StateManager(pool, StateManagerOptions.defaults().withBackupDir(backupDir));
        manager.migrate();
        return manager;
    }

    /** Runs one query on its own connection, outside any pool; returns the first column of the first row. */
    static String queryFile(Path file, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    static void executeFile(Path file, String... sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        }
    }

    /** The original tool's table: no version column, user_version 0. */
    static void createOriginalToolDatabase(Path file) throws SQLException {
        executeFile(file, """
                CREATE TABLE stories (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    epic_path TEXT NOT NULL,
                    story_path TEXT NOT NULL UNIQUE,
                    status TEXT NOT NULL,
                    iteration INTEGER DEFAULT 0,
                    qa_result TEXT,
                    error_message TEXT,
                    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
                    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
                    phase TEXT)""",
                "CREATE INDEX idx_story_path ON stories(story_path)",
                "CREATE INDEX idx_status ON stories(status)",
                "INSERT INTO stories (epic_path, story_path, status, iteration, qa_result, phase) "
                        + "VALUES ('epics/e1.md', 'stories/s1.md', 'completed', 2, '{\"passed\": true}', 'qa')",
                "INSERT INTO stories (epic_path, story_path, status, created_at, updated_at) "
                        + "VALUES ('epics/e1.md', 'stories/s2.md', 'waiting_for_human', "
                        + "'2024-01-02T03:04:05.123456', '2024-01-02T03:04:05.123456')");
    }
}
