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
 * {@code stories_schema_version} on PostgreSQL), holding the database's write lock. A database
 * that already has tables is backed up (and the backup verified) before the first script runs;
 * when a script fails, its transaction is rolled back and a {@link StateMigrationException}
 * names the script, the cause and the backup, which is kept and not restored.
 */
final class StateMigrator {

    private static final Logger log = LoggerFactory.getLogger(StateMigrator.class);

    private final DataSource dataSource;

    private final StateSql sql;

    private final StateBackups backups;

    private final JdbcTemplate jdbc;

    private final WriteLockedTransaction lockedTransaction;

    StateMigrator(DataSource dataSource, JdbcTemplate jdbc, StateSql sql, StateBackups backups) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.sql = sql;
        this.backups = backups;
        this.lockedTransaction = new WriteLockedTransaction(sql, Math.max(0, jdbc.getQueryTimeout())); // the operation timeout
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
     * Backups run while no connection is held, so a pool of one connection suffices.
     *
     * <p>Every process may migrate at any moment (on first use, during live traffic): the
     * version is read, and each script applied, in a transaction that holds the write lock
     * ({@link WriteLockedTransaction}), and a script another process applied meanwhile is
     * skipped. A failed script's transaction rolls it back whole; the backup taken before is
     * kept but never copied back over the live database, which would discard what other
     * threads and processes wrote since (see docs/state-manager.md, "Migrations").
     */
    int migrate() {
        List<Migration> migrations = migrations();
        requireDialectDatabase();
        Path file = backups.databaseFile();
        if (file != null && !Files.exists(file)) {
            throw new StateMigrationException("Cannot migrate the state database: " + file + " does not exist");
        }
        int seen = versionWithoutLock();
        int latest = migrations.isEmpty() ? 0 : migrations.get(migrations.size() - 1).version();
        if (seen >= latest) {
            // the common case, every first use after a restart: no lock, so that a caller's
            // transaction on this thread that has written (and holds the writer) is not in the way
            log.debug("State schema is at version {}, nothing to migrate", seen);
            return seen;
        }
        int current = readVersion(file);
        List<Migration> pending = migrations.stream().filter(m -> m.version() > current).toList();
        if (pending.isEmpty()) {
            log.debug("State schema is at version {}, nothing to migrate", current);
            return current;
        }
        Path backup = backupIfNotEmpty(file, current);
        Migration running = null;
        int version = current;
        try (Connection connection = dataSource.getConnection()) {
            for (Migration migration : pending) {
                running = migration;
                version = Math.max(version, lockedTransaction.run(connection, locked -> apply(locked, migration)));
            }
        }
        catch (SQLException | RuntimeException ex) {
            String what = running == null ? "State migration could not start" : "State migration " + running.name()
                    + " failed";
            throw new StateMigrationException(what + ": " + ex.getMessage() + "; " + outcome(backup), ex);
        }
        log.info("State schema migrated from version {} to {}", current, version);
        return version;
    }

    /**
     * The version now, read without a lock or a transaction; -1 when it cannot be read so (no
     * version table yet on PostgreSQL): a version that is already the latest cannot go back.
     */
    private int versionWithoutLock() {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql.selectSchemaVersion())) {
            return rows.next() ? rows.getInt(1) : 0;
        }
        catch (SQLException | RuntimeException ex) {
            log.debug("The state schema version was not read without a lock: {}", ex.toString());
            return -1; // read again under the lock, which also makes what is missing
        }
    }

    /** The version now, read holding the write lock (PostgreSQL: the version table created under it). */
    private int readVersion(Path file) {
        try (Connection connection = dataSource.getConnection()) {
            return lockedTransaction.run(connection, this::lockedVersion);
        }
        catch (SQLException | RuntimeException ex) {
            throw new StateMigrationException("Cannot read the schema version of the state database "
                    + (file == null ? "in memory" : file) + " (nothing was changed): " + ex.getMessage(), ex);
        }
    }

    private int lockedVersion(Connection connection) throws SQLException {
        String versionTable = sql.createSchemaVersionTable();
        if (versionTable != null) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(versionTable);
            }
        }
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql.selectSchemaVersion())) {
            return rows.next() ? rows.getInt(1) : 0;
        }
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

    /**
     * Applies {@code migration} in the locked transaction on {@code connection}, unless the
     * version read there shows that another process (or manager) has applied it since this one
     * read the version; returns the schema version then.
     */
    private int apply(Connection connection, Migration migration) throws SQLException {
        int applied = lockedVersion(connection);
        if (applied >= migration.version()) {
            log.info("State migration {} was applied meanwhile by another process or manager (schema version {}),"
                    + " skipping it", migration.name(), applied);
            return applied;
        }
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
        log.info("Ran state migration {}; committing it with schema version {}", migration.name(),
                migration.version());
        return migration.version();
    }

    /**
     * What became of the database after a failed script. Its own transaction rolled it back, and
     * the scripts before it committed whole, so the schema is at a version it had been at; the
     * backup is not restored over it, which would discard other threads' and processes' writes.
     */
    private static String outcome(Path backup) {
        String rolledBack = "its transaction was rolled back, so the database stays at the schema version of the last"
                + " script that committed; fix the cause and migrate again (the next use does)";
        if (backup == null) {
            return rolledBack;
        }
        return rolledBack + ". The backup taken before migrating, " + backup + ", was kept but not restored (that"
                + " would discard what was written since); restore it yourself if you need the state from before";
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
