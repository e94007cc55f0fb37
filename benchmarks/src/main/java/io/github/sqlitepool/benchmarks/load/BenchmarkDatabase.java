package io.github.sqlitepool.benchmarks.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;

import io.github.sqlitepool.pool.config.PragmaSettings;
import io.github.sqlitepool.pool.config.Synchronous;


/**
 * A fresh WAL database file in its own temporary directory, holding the {@code items} table
 * with {@link #ROWS} rows. {@link #close()} deletes the directory.
 *
 * <p>Every target opens it with the same PRAGMAs: sqlite-pool's defaults
 * ({@link PragmaSettings#defaults()}) with the run's {@code synchronous} level, handed to
 * sqlite-jdbc as connection properties for the serial connection and HikariCP, so the comparison
 * is between pools, not settings.
 */
public final class BenchmarkDatabase implements AutoCloseable {

    /** Rows in the benchmark table; ids run from 1 to this number. */
    public static final int ROWS = 10_000;

    private final Path directory;
    private final Path file;
    private final Synchronous synchronous;

    private BenchmarkDatabase(Path directory, Synchronous synchronous) {
        this.directory = directory;
        this.file = directory.resolve("bench.db");
        this.synchronous = synchronous;
    }

    /** Creates the database file, its table and rows, for sqlite-pool's default PRAGMAs. */
    public static BenchmarkDatabase create() throws SQLException {
        return create(PragmaSettings.DEFAULT_SYNCHRONOUS);
    }

    /** Creates the database file, its table and rows, for targets that open it with {@code synchronous}. */
    public static BenchmarkDatabase create(Synchronous synchronous) throws SQLException {
        Path directory;
        try {
            directory = Files.createTempDirectory("sqlite-pool-bench");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the benchmark database", e);
        }
        BenchmarkDatabase database = new BenchmarkDatabase(directory, synchronous);
        try {
            database.populate();
        } catch (SQLException | RuntimeException e) {
            database.close();
            throw e;
        }
        return database;
    }

    private void populate() throws SQLException {
        try (Connection connection = DriverManager.getConnection(url(), sqliteJdbcProperties())) {
            try (Statement ddl = connection.createStatement()) {
                ddl.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, counter INTEGER NOT NULL, name TEXT NOT NULL)");
            }
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO items (id, counter, name) VALUES (?, 0, ?)")) {
                for (int id = 1; id <= ROWS; id++) {
                    insert.setInt(1, id);
                    insert.setString(2, "item-" + id);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            connection.commit();
        }
    }

    /** The {@code jdbc:sqlite:} URL of the file. */
    public String url() {
        return "jdbc:sqlite:" + file;
    }

    /** The PRAGMAs every target uses: sqlite-pool's defaults with this run's {@code synchronous}. */
    public PragmaSettings pragmas() {
        return PragmaSettings.builder().synchronous(synchronous).build();
    }

    /** The same PRAGMAs as {@link #pragmas()}, as sqlite-jdbc connection properties. */
    public Properties sqliteJdbcProperties() {
        PragmaSettings pragmas = pragmas();
        Properties properties = new Properties();
        properties.setProperty("busy_timeout", Long.toString(pragmas.busyTimeout().toMillis()));
        properties.setProperty("journal_mode", pragmas.journalMode().name());
        properties.setProperty("synchronous", pragmas.synchronous().name());
        properties.setProperty("cache_size", Integer.toString(pragmas.cacheSize()));
        properties.setProperty("temp_store", pragmas.tempStore().name());
        properties.setProperty("foreign_keys", Boolean.toString(pragmas.foreignKeys()));
        return properties;
    }

    @Override
    public void close() {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete benchmark database directory " + directory, e);
        }
    }
}
