package io.github.sqlitepool.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ScriptUtils;

/**
 * Applies the dialect's versioned scripts in order, each in its own transaction together with
 * the new schema version ({@code PRAGMA user_version} on SQLite, a row of
 * {@code stories_schema_version} on PostgreSQL). A database that already has tables is backed up (and the
 * backup verified) before the first script runs; when a script fails, its transaction is rolled
 * back, the backup restored, and a {@link StateMigrationException} names the script and cause.
 */
final class StateMigrator {

    private static final Logger log = LoggerFactory.getLogger(StateMigrator.class);

    private final DataSource dataSource;

    private final StateSql sql;

    private final StateBackups backups;

    private final JdbcTemplate jdbc;

    StateMigrator(DataSource dataSource, JdbcTemplate jdbc, StateSql sql, StateBackups backups) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.sql = sql;
        this.backups = backups;
    }

    /** The scripts found at the dialect's location, by version. */
    List<Migration> migrations() {
        try {
            Resource[] resources = new PathMatchingResourcePatternResolver(getClass().getClassLoader())
                    .getResources(sql.migrationLocation());
            List<Migration> migrations = new ArrayList<>();
            for (Resource resource : resources) {
                migrations.add(Migration.load(resource));
            }
            migrations.sort(Comparator.comparingInt(Migration::version));
            for (int i = 1; i < migrations.size(); i++) {
                if (migrations.get(i).version() == migrations.get(i - 1).version()) {
                    throw new StateMigrationException("Two migrations have version " + migrations.get(i).version()
                            + ": " + migrations.get(i - 1).name() + " and " + migrations.get(i).name());
                }
            }
            return migrations;
        }
        catch (IOException ex) {
            throw new StateMigrationException("Cannot list migrations at " + sql.migrationLocation(), ex);
        }
    }

    /**
     * Brings the schema up to the latest version and returns it. Running it again changes nothing.
     * Backups and restores run while no connection is held, so a pool of one connection suffices.
     */
    int migrate() {
        List<Migration> migrations = migrations();
        requireDialectDatabase();
        Path file = backups.databaseFile();
        if (file != null && !Files.exists(file)) {
            throw new StateMigrationException("Cannot migrate the state database: " + file + " does not exist");
        }
        int current;
        try {
            String versionTable = sql.createSchemaVersionTable();
            if (versionTable != null) {
                jdbc.execute(versionTable);
            }
            current = jdbc.queryForObject(sql.selectSchemaVersion(), Integer.class);
        }
        catch (RuntimeException ex) {
            throw new StateMigrationException("Cannot read the schema version of the state database "
                    + (file == null ? "in memory" : file) + ": " + ex.getMessage(), ex);
        }
        List<Migration> pending = migrations.stream().filter(m -> m.version() > current).toList();
        if (pending.isEmpty()) {
            log.debug("State schema is at version {}, nothing to migrate", current);
            return current;
        }
        Path backup = backupIfNotEmpty(file, current);
        Migration running = null;
        try (Connection connection = dataSource.getConnection()) {
            for (Migration migration : pending) {
                running = migration;
                apply(connection, migration);
            }
        }
        catch (SQLException | RuntimeException ex) {
            String what = running == null ? "State migration could not start" : "State migration " + running.name()
                    + " failed";
            throw new StateMigrationException(what + ": " + ex.getMessage() + "; " + restore(backup, ex), ex);
        }
        int version = pending.get(pending.size() - 1).version();
        log.info("State schema migrated from version {} to {}", current, version);
        return version;
    }

    private void requireDialectDatabase() {
        String product = jdbc.execute(
                (ConnectionCallback<String>) connection -> connection.getMetaData().getDatabaseProductName());
        if (!sql.databaseProductName().equalsIgnoreCase(product)) {
            throw new StateMigrationException("The state manager's SQL (" + sql.getClass().getSimpleName() + ") is for "
                    + sql.databaseProductName() + " but the data source is " + product
                    + ": set sqlite.pool.state-manager.enabled=false, or give the StateManager a StateSql for "
                    + product);
        }
    }

    private Path backupIfNotEmpty(Path file, int current) {
        if (sql.backupSql().isEmpty()) {
            log.info("Not backing up the {} state database before migrating it: each script runs in a transaction"
                    + " that is rolled back when it fails (take a pg_dump if you want a copy)", sql.databaseProductName());
            return null;
        }
        if (jdbc.queryForObject(sql.countTables(), Integer.class) == 0) {
            return null;
        }
        if (file == null) {
            log.info("Not backing up the in-memory state database before migrating it: it dies with the pool");
            return null;
        }
        boolean hasStories = jdbc.queryForObject(sql.tableExists(), Integer.class, "stories") > 0;
        Path backup = backups.create(hasStories);
        log.info("Backed up the state database at schema version {} to {} before migrating", current, backup);
        return backup;
    }

    private void apply(Connection connection, Migration migration) throws SQLException {
        connection.setAutoCommit(false);
        try {
            String[] skip = migration.skipIfColumnExists().orElse(null);
            if (skip != null && columnExists(connection, skip[0], skip[1])) {
                log.info("Migration {}: {}.{} exists already, nothing to do", migration.name(), skip[0], skip[1]);
            }
            else {
                ScriptUtils.executeSqlScript(connection, migration.resource());
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql.updateSchemaVersion(migration.version()));
            }
            connection.commit();
            log.info("Applied state migration {}", migration.name());
        }
        catch (SQLException | RuntimeException ex) {
            rollback(connection, ex);
            throw ex;
        }
        finally {
            connection.setAutoCommit(true);
        }
    }

    private String restore(Path backup, Exception failure) {
        if (backup == null) {
            return "its transaction was rolled back (no backup was taken: the database was empty or in memory, or is "
                    + "PostgreSQL, where a script and its version row commit or roll back together)";
        }
        try {
            backups.restore(backup);
            return "the database was restored from " + backup;
        }
        catch (RuntimeException ex) {
            failure.addSuppressed(ex);
            return "restoring " + backup + " failed too (" + ex.getMessage() + "); restore it by hand";
        }
    }

    private static void rollback(Connection connection, Exception failure) {
        try {
            connection.rollback();
        }
        catch (SQLException ex) {
            failure.addSuppressed(ex);
        }
    }

    private boolean columnExists(Connection connection, String table, String column) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql.columnExists())) {
            statement.setString(1, table);
            statement.setString(2, column);
            return singleInt(statement) > 0;
        }
    }

    private static int singleInt(PreparedStatement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery()) {
            return rows.next() ? rows.getInt(1) : 0;
        }
    }
}
