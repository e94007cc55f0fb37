package io.github.sqlitepool.state;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * A real PostgreSQL server for the tests, one per test JVM. With {@code -Dpostgres.url=jdbc:...}
 * (and {@code postgres.user}/{@code postgres.password}) that server is used. Otherwise a
 * throwaway cluster is created with the installed PostgreSQL's {@code initdb} (Debian's
 * {@code postgresql} package, which {@code .ci/run} installs) in a temporary directory and
 * started on 127.0.0.1 on a free port; as root it runs as user {@code postgres}, because
 * PostgreSQL refuses to run as root. It is stopped when the JVM exits. Each test gets a
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
        Path bin = findBinaries();
        boolean root = "root".equals(System.getProperty("user.name"));
        try {
            Path dir = Files.createTempDirectory("sqlite-pool-pg");
            Path data = dir.resolve("data");
            int port = freePort();
            if (root) {
                run(List.of("chown", "-R", "postgres", dir.toString()), false);
                run(List.of("chmod", "755", dir.toString()), false);
            }
            run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "-A", "trust",
                    "-E", "UTF8", "--no-sync"), root);
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("log").toString(),
                    "-w", "-t", "60", "-o", "-h 127.0.0.1 -p " + port + " -k " + dir + " -F", "start"), root);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(bin, data, dir, root)));
            return new PostgresServer("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot start a PostgreSQL server for the tests: " + ex.getMessage()
                    + " (skip these tests with -DskipPostgres=true)", ex);
        }
    }

    private static void stop(Path bin, Path data, Path dir, boolean root) {
        try {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"),
                    root);
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        catch (IOException | RuntimeException ex) {
            System.err.println("Could not stop the test PostgreSQL in " + dir + ": " + ex.getMessage());
        }
    }

    private static Path findBinaries() {
        List<Path> candidates = new ArrayList<>();
        String env = System.getenv("PG_BIN");
        if (env != null) {
            candidates.add(Path.of(env));
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                versions.map(v -> v.resolve("bin")).sorted(Comparator.reverseOrder()).forEach(candidates::add);
            }
            catch (IOException ex) {
                throw new IllegalStateException(ex);
            }
        }
        for (String entry : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            candidates.add(Path.of(entry));
        }
        return candidates.stream().filter(p -> Files.isExecutable(p.resolve("initdb"))
                && Files.isExecutable(p.resolve("pg_ctl"))).findFirst()
                .orElseThrow(() -> new IllegalStateException("No PostgreSQL binaries (initdb, pg_ctl) found in PG_BIN,"
                        + " /usr/lib/postgresql/*/bin or PATH: install Debian's postgresql package (.ci/run does),"
                        + " point -Dpostgres.url at a server, or skip these tests with -DskipPostgres=true"));
    }

    private static void run(List<String> command, boolean asPostgres) throws IOException {
        List<String> full = new ArrayList<>();
        if (asPostgres) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", full) + " did not finish in 90 s");
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("Interrupted while running " + String.join(" ", full), ex);
        }
        String output = new String(process.getInputStream().readAllBytes());
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", full) + " failed (" + process.exitValue() + "): " + output);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
