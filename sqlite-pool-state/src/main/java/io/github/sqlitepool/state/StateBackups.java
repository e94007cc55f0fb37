package io.github.sqlitepool.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

import io.github.sqlitepool.pool.config.SqlitePoolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Online backups of the state database: copies taken through the database (never a file copy,
 * which can miss or tear pages of a WAL database), checked by opening them on their own, and
 * restored through SQLite's backup API into the live database.
 */
final class StateBackups {

    private static final Logger log = LoggerFactory.getLogger(StateBackups.class);

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss");

    private final JdbcTemplate jdbc;

    private final StateSql sql;

    private final Path configuredDir;

    private final Clock clock;

    StateBackups(JdbcTemplate jdbc, StateSql sql, Path configuredDir, Clock clock) {
        this.jdbc = jdbc;
        this.sql = sql;
        this.configuredDir = configuredDir;
        this.clock = clock;
    }

    /** The dialect's backup statements; the StateManager refuses backups before asking for them. */
    private StateBackupSql backupSql() {
        return sql.backupSql().orElseThrow(() -> new UnsupportedOperationException(
                "Backup and restore are not supported on " + sql.databaseProductName()));
    }

    /**
     * The live database's file, or null for an in-memory database. Taken from the pool's
     * configuration when there is one, so that it is known even when the database cannot be read.
     */
    Path databaseFile() {
        SqlitePoolConfig config = PoolLookup.config(jdbc.getDataSource());
        if (config != null) {
            return config.url().file().orElse(null);
        }
        String file = jdbc.queryForObject(sql.selectDatabaseFile(), String.class);
        return file == null || file.isEmpty() ? null : Path.of(file);
    }

    /**
     * Writes {@code <stem>_backup_<yyyyMMdd_HHmmss><suffix>} into the backup directory (with
     * {@code _2}, {@code _3}... before the suffix when a backup of the same second exists):
     * first under a temporary name, which is synced and verified and then renamed into place,
     * so that a crash never leaves a half-written file under a backup name.
     */
    Path create(boolean requireStoriesTable) {
        Path database = databaseFile();
        Path dir = backupDir(database);
        String fileName = database == null ? "memory.db" : database.getFileName().toString();
        int dot = fileName.lastIndexOf('.');
        String stem = dot > 0 ? fileName.substring(0, dot) : fileName;
        String suffix = dot > 0 ? fileName.substring(dot) : "";
        String base = stem + "_backup_" + LocalDateTime.now(clock).format(STAMP);
        try {
            Files.createDirectories(dir);
            PendingBackup.removeStale(dir);
            try (PendingBackup pending = PendingBackup.start(dir, base)) {
                jdbc.update(backupSql().backupInto(), backupSql().backupTarget(pending.file(), database == null));
                pending.sync();
                verify(pending.file(), requireStoriesTable);
                Path target = pending.publish(base, suffix);
                log.info("Backed up {} to {} ({} bytes)", database == null ? "in-memory database" : database, target,
                        Files.size(target));
                return target;
            }
        }
        catch (IOException ex) {
            throw new StateException("Cannot write a backup into " + dir + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Opens {@code backup} on its own and checks it: a non-empty file, integrity check ok, and
     * the {@code stories} table present when required.
     *
     * @throws BackupVerificationException naming the file and what is wrong with it
     */
    void verify(Path backup, boolean requireStoriesTable) {
        try {
            if (!Files.isRegularFile(backup)) {
                throw new BackupVerificationException("Backup " + backup + " does not exist or is not a file");
            }
            if (Files.size(backup) == 0) {
                throw new BackupVerificationException("Backup " + backup + " is empty");
            }
        }
        catch (IOException ex) {
            throw new BackupVerificationException("Cannot read backup " + backup + ": " + ex.getMessage(), ex);
        }
        try (Connection connection = DriverManager.getConnection(backupSql().standaloneUrl(backup))) {
            String integrity;
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery(backupSql().integrityCheck())) {
                integrity = rows.next() ? rows.getString(1) : "no result";
            }
            if (!"ok".equalsIgnoreCase(integrity)) {
                throw new BackupVerificationException("Backup " + backup + " fails the integrity check: " + integrity);
            }
            if (requireStoriesTable && !tableExists(connection, "stories")) {
                throw new BackupVerificationException("Backup " + backup + " has no stories table");
            }
        }
        catch (SQLException ex) {
            throw new BackupVerificationException("Backup " + backup + " cannot be opened as a database: "
                    + ex.getMessage(), ex);
        }
    }

    /**
     * Checks that {@code backup} lies inside the backup directory, verifies it, then copies it
     * over the live database page by page. A relative path is taken relative to the backup
     * directory.
     */
    void restore(Path backup) {
        Path file = insideBackupDir(backup);
        if (PendingBackup.isTemporary(file)) {
            throw new BackupVerificationException("Backup " + file + " is an unfinished backup (a temporary file of a "
                    + "backup that was still being written or was interrupted); restore a file with a backup name");
        }
        verify(file, true);
        jdbc.execute(backupSql().restoreFrom(file));
        log.warn("Restored the state database from {}", file);
    }

    /**
     * The real path of {@code backup}, which must be a file inside the backup directory: no
     * {@code ..}, no absolute path elsewhere, no symbolic link (of the file or a directory on
     * the way) leading out of it.
     *
     * @throws StateException naming the path and the backup directory
     */
    Path insideBackupDir(Path backup) {
        Path dir = backupDir(databaseFile()).toAbsolutePath().normalize();
        for (Path part : backup) {
            if (part.toString().equals("..")) {
                throw outside(backup, dir, "must not contain '..'");
            }
        }
        Path candidate = dir.resolve(backup).normalize();
        if (!candidate.startsWith(dir)) {
            throw outside(backup, dir, "is not inside the backup directory");
        }
        Path realDir;
        try {
            realDir = dir.toRealPath();
        }
        catch (IOException ex) {
            throw new StateException("Backup " + backup + " cannot be restored: the backup directory " + dir
                    + " cannot be read: " + ex.getMessage(), ex);
        }
        Path real;
        try {
            real = candidate.toRealPath();
        }
        catch (IOException ex) {
            throw new BackupVerificationException("Backup " + candidate + " does not exist or cannot be read: "
                    + ex.getMessage(), ex);
        }
        if (!real.startsWith(realDir) || real.equals(realDir)) {
            throw outside(backup, dir, "resolves to " + real + ", outside the backup directory (a symbolic link?)");
        }
        return real;
    }

    private static StateException outside(Path backup, Path dir, String problem) {
        return new StateException("Backup " + backup + " " + problem + ": only files inside the backup directory "
                + dir + " (sqlite.pool.state-manager.backup-dir) can be restored");
    }

    private boolean tableExists(Connection connection, String table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql.tableExists())) {
            statement.setString(1, table);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() && rows.getInt(1) > 0;
            }
        }
    }

    private Path backupDir(Path database) {
        if (configuredDir != null) {
            return configuredDir;
        }
        if (database == null) {
            throw new StateException("An in-memory database has no directory to put backups in: set "
                    + "sqlite.pool.state-manager.backup-dir");
        }
        return database.toAbsolutePath().getParent().resolve("backups");
    }
}
