package io.github.sqlitepool.pool.config;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A parsed {@code jdbc:sqlite:} URL: either a database file or an in-memory database.
 *
 * <p>In-memory URLs ({@code jdbc:sqlite::memory:}, {@code jdbc:sqlite:file::memory:},
 * {@code jdbc:sqlite:file:name?mode=memory...}) are rewritten to SQLite's {@code memdb} VFS
 * under a name shared by all of the pool's connections. Plain {@code :memory:} would give
 * every connection a database of its own, and shared-cache mode replaces the busy timeout
 * with table locks ({@code SQLITE_LOCKED}); {@code memdb} has neither problem. An unnamed
 * in-memory URL gets a unique name, so two pools never share it by accident.
 *
 * <p>A URL with an empty path ({@code jdbc:sqlite:}, {@code jdbc:sqlite:file:}) is refused:
 * sqlite-jdbc would open a database in memory that vanishes on restart, which is what an unset
 * variable ({@code jdbc:sqlite:${DB_PATH:}}) produces, never what was meant. Memory is asked for
 * by name.
 */
public final class SqliteUrl {

    /** The prefix every SQLite JDBC URL starts with. */
    public static final String PREFIX = "jdbc:sqlite:";

    private static final Pattern MODE_MEMORY = Pattern.compile("(^|&)mode=memory(&|$)");

    private static final Pattern MODE_READ_ONLY = Pattern.compile("(^|&)mode=ro(&|$)");

    private static final Pattern UNSAFE_NAME_CHARS = Pattern.compile("[^A-Za-z0-9_.-]");

    private final String url;

    private final String connectUrl;

    private final Path file;

    private final boolean readOnly;

    private SqliteUrl(String url, String connectUrl, Path file, boolean readOnly) {
        this.url = url;
        this.connectUrl = connectUrl;
        this.file = file;
        this.readOnly = readOnly;
    }

    /**
     * Parses a URL given as the {@code sqlite.pool.url} setting.
     *
     * @throws PoolConfigurationException when it is blank, not a {@code jdbc:sqlite:} URL, or
     *                                    has an empty path
     */
    public static SqliteUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new PoolConfigurationException("sqlite.pool.url", url, "must be set");
        }
        if (!url.startsWith(PREFIX)) {
            throw new PoolConfigurationException("sqlite.pool.url", url, "must start with " + PREFIX);
        }
        if (url.chars().anyMatch(ch -> ch < 0x20)) {
            throw new PoolConfigurationException("sqlite.pool.url", url, "must not contain control characters");
        }
        String rest = url.substring(PREFIX.length());
        if (rest.isEmpty()) {
            throw emptyPath(url);
        }
        if (rest.equals(":memory:")) {
            return memory(url, "anonymous-" + UUID.randomUUID());
        }
        int question = rest.indexOf('?');
        String location = question < 0 ? rest : rest.substring(0, question);
        String query = question < 0 ? "" : rest.substring(question + 1);
        if (location.startsWith("file:")) {
            String path = location.substring("file:".length());
            if (path.isEmpty() && !MODE_MEMORY.matcher(query).find()) {
                throw emptyPath(url);
            }
            if (path.equals(":memory:") || path.isEmpty()) {
                return memory(url, "anonymous-" + UUID.randomUUID());
            }
            if (MODE_MEMORY.matcher(query).find()) {
                return memory(url, path);
            }
            if (path.startsWith("///")) {
                path = path.substring(2);
            }
            return new SqliteUrl(url, url, Path.of(URLDecoder.decode(path, StandardCharsets.UTF_8)),
                    MODE_READ_ONLY.matcher(query).find());
        }
        if (location.isEmpty()) {
            throw new PoolConfigurationException("sqlite.pool.url", url, "must name a database file or :memory:");
        }
        return new SqliteUrl(url, url, Path.of(location), MODE_READ_ONLY.matcher(query).find());
    }

    private static PoolConfigurationException emptyPath(String url) {
        return new PoolConfigurationException("sqlite.pool.url", url, "names no database file (an empty path would"
                + " give an in-memory database that is gone on restart, as an unset ${...:} placeholder does);"
                + " give a file path, or ask for memory explicitly with " + PREFIX + ":memory: or " + PREFIX
                + "file::memory:");
    }

    private static SqliteUrl memory(String url, String name) {
        String safe = UNSAFE_NAME_CHARS.matcher(name).replaceAll("_");
        return new SqliteUrl(url, PREFIX + "file:/sqlite-pool/" + safe + "?vfs=memdb", null, false);
    }

    /** The URL as configured. */
    public String url() {
        return url;
    }

    /** The URL connections are opened with (differs from {@link #url()} for in-memory databases). */
    public String connectUrl() {
        return connectUrl;
    }

    /** Whether the database lives in memory and disappears with the pool. */
    public boolean inMemory() {
        return file == null;
    }

    /** Whether the URL opens the database read-only ({@code mode=ro} in its query). */
    public boolean readOnly() {
        return readOnly;
    }

    /** The database file, absolute; empty for an in-memory database. */
    public Optional<Path> file() {
        return Optional.ofNullable(file).map(Path::toAbsolutePath);
    }

    @Override
    public String toString() {
        return url;
    }
}
