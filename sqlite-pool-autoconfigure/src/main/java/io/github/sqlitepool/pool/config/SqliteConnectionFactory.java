package io.github.sqlitepool.pool.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.JDBC;
import org.sqlite.SQLiteConnection;

/**
 * Opens sqlite-jdbc connections and applies the PRAGMAs, one statement at a time.
 *
 * <p>Before the first connection it checks the database path: a directory, or a file that
 * does not start with SQLite's header, is refused without being opened, so a wrong path can
 * never be turned into (or damaged as) a database.
 */
public final class SqliteConnectionFactory {

    private static final Logger log = LoggerFactory.getLogger(SqliteConnectionFactory.class);

    private static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    private final SqliteUrl url;

    private final PragmaSettings pragmas;

    public SqliteConnectionFactory(SqliteUrl url, PragmaSettings pragmas) {
        this.url = url;
        this.pragmas = pragmas;
    }

    public SqliteUrl url() {
        return url;
    }

    public PragmaSettings pragmas() {
        return pragmas;
    }

    /**
     * Checks that the database path can hold a SQLite database and creates its parent
     * directories. Reads at most the file's first bytes; never writes to it.
     *
     * @throws SQLException when the path is a directory or a file that is not a SQLite database
     */
    public void prepareDatabasePath() throws SQLException {
        if (url.inMemory()) {
            return;
        }
        Path file = url.file().orElseThrow();
        if (Files.isDirectory(file)) {
            throw new SQLException("database path " + file + " is a directory, not a SQLite database file");
        }
        if (Files.exists(file)) {
            checkHeader(file);
            return;
        }
        Path parent = file.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            try {
                Files.createDirectories(parent);
                log.info("Created directory {} for the SQLite database", parent);
            } catch (IOException e) {
                throw new SQLException("cannot create directory " + parent + " for database " + file, e);
            }
        }
    }

    private static void checkHeader(Path file) throws SQLException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(SQLITE_HEADER.length);
            if (head.length == 0) {
                return; // SQLite treats an empty file as an empty database
            }
            if (!Arrays.equals(head, SQLITE_HEADER)) {
                throw new SQLException("file " + file + " is not a SQLite database (its header is not '"
                        + "SQLite format 3'); it was left untouched", "SQLITE_NOTADB", 26);
            }
        } catch (IOException e) {
            throw new SQLException("cannot read database file " + file, e);
        }
    }

    /**
     * Opens a connection and applies every PRAGMA. On failure the connection is closed.
     */
    public Connection open() throws SQLException {
        Connection connection = JDBC.createConnection(url.connectUrl(), new Properties());
        try {
            apply(connection);
            return connection;
        } catch (SQLException | RuntimeException e) {
            closeAfterFailure(connection, e);
            throw e;
        }
    }

    /**
     * Applies every PRAGMA to {@code connection}, one statement at a time, and tells the driver
     * the busy timeout too: sqlite-jdbc keeps its own copy, which it puts back after any call
     * that changed the connection's busy timeout, so the two must agree.
     */
    public void apply(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (Pragma pragma : pragmas.pragmas()) {
                try {
                    statement.execute(pragma.sql());
                } catch (SQLException e) {
                    throw new SQLException("cannot apply PRAGMA " + pragma + " to " + url + ": " + e.getMessage(),
                            e.getSQLState(), e.getErrorCode(), e);
                }
            }
        }
        connection.unwrap(SQLiteConnection.class).setBusyTimeout((int) pragmas.busyTimeout().toMillis());
    }

    /**
     * Reads every PRAGMA back and reports those that did not take. A journal mode that did not
     * switch on a file database is an error (it fails silently in SQLite, for example on a
     * read-only directory); the others are returned as warnings.
     *
     * @return human-readable descriptions of settings that differ from the requested value
     * @throws SQLException when the journal mode of a file database is not the requested one
     */
    public List<String> verify(Connection connection) throws SQLException {
        List<String> differences = new ArrayList<>();
        try (Statement statement = connection.createStatement()) {
            for (Pragma pragma : pragmas.pragmas()) {
                String actual;
                try (ResultSet rs = statement.executeQuery(pragma.querySql())) {
                    actual = rs.next() ? rs.getString(1) : null;
                }
                String expected = expectedReadBack(pragma);
                if (expected != null && !expected.equalsIgnoreCase(String.valueOf(actual))) {
                    String difference = "PRAGMA " + pragma.name() + " is " + actual + ", not " + pragma.value()
                            + (ExtraPragmas.FILE_FORMAT.contains(pragma.name())
                                    ? " (it takes effect only when the database file is created, or at a VACUUM"
                                            + " outside WAL mode; this database already existed)" : "");
                    if (pragma.name().equals("journal_mode")) {
                        if (url.inMemory()) {
                            log.info("In-memory database {} uses journal_mode={} ({} is not available in memory)",
                                    url, actual, pragma.value());
                            continue;
                        }
                        throw new SQLException(difference + " for " + url
                                + ": SQLite could not switch the journal mode (is the directory writable?)");
                    }
                    differences.add(difference);
                }
            }
        }
        return differences;
    }

    /** The value SQLite reports when the pragma is read back, or null when it cannot be compared. */
    private static String expectedReadBack(Pragma pragma) {
        String value = pragma.value().toUpperCase(Locale.ROOT);
        switch (pragma.name()) {
            case "journal_mode":
                return value;
            case "synchronous":
                return Integer.toString(Synchronous.valueOf(value).ordinal());
            case "temp_store":
                return Integer.toString(TempStore.valueOf(value).ordinal());
            case "foreign_keys":
                return value.equals("ON") ? "1" : "0";
            case "auto_vacuum":
                return switch (value) {
                    case "NONE" -> "0";
                    case "FULL" -> "1";
                    case "INCREMENTAL" -> "2";
                    default -> value;
                };
            case "page_size":
            case "busy_timeout":
            case "cache_size":
            case "journal_size_limit":
            case "wal_autocheckpoint":
            case "mmap_size":
                return pragma.value();
            default:
                return null; // extra pragmas: SQLite's spellings of their values vary
        }
    }

    public static void closeAfterFailure(Connection connection, Throwable failure) {
        try {
            connection.close();
        } catch (SQLException closeFailure) {
            failure.addSuppressed(closeFailure);
        }
    }
}
