package io.github.sqlitepool.state;

import static io.github.sqlitepool.state.StateOperations.run;
import static io.github.sqlitepool.state.StoryRows.countMapper;
import static io.github.sqlitepool.state.StoryRows.counts;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.github.sqlitepool.jdbc.SqliteExceptionTranslator;
import io.github.sqlitepool.pool.PoolStats;
import io.github.sqlitepool.pool.SqlitePool;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Durable processing state of an epic's stories, on {@code JdbcTemplate} and
 * {@code TransactionTemplate} over a (pooled) SQLite data source, or a PostgreSQL one shared by
 * several application instances (the dialect is picked from the data source; see {@link StateDialects}).
 *
 * <p>Every operation leases a connection for its own duration, or joins the caller's
 * transaction on this data source (for example a {@link #inTransaction batch}). Every
 * operation is bounded by the operation timeout; a thread that is interrupted gets a
 * {@link StateOperationInterruptedException} with its interrupt flag set. Database errors
 * surface as Spring's {@code DataAccessException}s, SQLite's translated by their result code
 * ({@link SqliteExceptionTranslator}); nothing is turned into {@code null} or
 * {@code false} unless a method says so.
 *
 * <p>Creating a manager touches nothing: the dialect is detected, and the schema migrated (with
 * a backup first when the database has tables), on the first call of an operation that reads or
 * writes stories, backups or the schema, so an application that never uses the manager keeps
 * its database exactly as it made it. Call {@link #migrate()} to do it at a time of your choosing
 * (the auto-configuration does at startup with {@code sqlite.pool.state-manager.migrate-on-startup=true}).
 * {@link #schemaVersion()} and {@link #health()} never migrate.
 */
public class StateManager {

    private static final DateTimeFormatter SQLITE_TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final DataSource dataSource;

    private final JdbcTemplate jdbc;

    private final NamedParameterJdbcTemplate named;

    private final TransactionTemplate transactions;

    private final StoryRows rows = new StoryRows();

    private final StateManagerOptions options;

    private final Clock clock;

    /** The dialect, backups and migrator, made on first use; guarded by {@code this}. */
    private volatile Store store;

    /** Whether the schema is migrated, and how the last migration failed. */
    private final SchemaState schema;

    private final WriteBatches batches;

    /** A manager with its own {@code DataSourceTransactionManager}. */
    public StateManager(DataSource dataSource, StateManagerOptions options) {
        this(dataSource, new DataSourceTransactionManager(dataSource), options);
    }

    /**
     * A manager whose batches run in {@code transactionManager}'s transactions, which must bind
     * connections of {@code dataSource} (as {@code DataSourceTransactionManager} and
     * {@code JpaTransactionManager} do).
     */
    public StateManager(DataSource dataSource, PlatformTransactionManager transactionManager,
            StateManagerOptions options) {
        this(dataSource, transactionManager, options, Clock.systemDefaultZone());
    }

    StateManager(DataSource dataSource, PlatformTransactionManager transactionManager, StateManagerOptions options,
            Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.options = Objects.requireNonNull(options, "options");
        this.clock = clock;
        this.jdbc = new JdbcTemplate(dataSource);
        this.jdbc.setExceptionTranslator(new SqliteExceptionTranslator());
        this.jdbc.setQueryTimeout(options.timeoutSeconds());
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.transactions = new TransactionTemplate(transactionManager);
        this.transactions.setTimeout(options.timeoutSeconds());
        this.schema = new SchemaState(transactionManager, () -> store().migrator());
        this.batches = new WriteBatches(dataSource);
    }

    /** What depends on the database product, detected on first use. */
    private record Store(StateSql sql, StateBackups backups, StateMigrator migrator) {
    }

    private Store store() {
        Store current = store;
        if (current == null) {
            synchronized (this) {
                current = store;
                if (current == null) {
                    StateSql sql = options.sql() != null ? options.sql() : StateDialects.detect(dataSource);
                    StateBackups backups = new StateBackups(jdbc, sql, options.backupDir(), clock);
                    current = new Store(sql, backups, new StateMigrator(dataSource, jdbc, sql, backups));
                    store = current;
                }
            }
        }
        return current;
    }

    private StateSql sql() {
        return store().sql();
    }

    /**
     * Whether the schema has been migrated in this process (by {@link #migrate()} or a first use),
     * and no {@link #restoreBackup restore} has replaced the database since.
     */
    public boolean isMigrated() {
        return schema.isMigrated();
    }

    /**
     * Applies pending schema migrations; see {@code docs/state-manager.md}.
     *
     * @return the schema version now
     * @throws StateMigrationException naming the failed migration and its cause (its transaction
     *                                 rolled back; the backup taken before it kept, not restored).
     *                                 {@link #health()} reports the failure until a migration succeeds.
     */
    public int migrate() {
        return schema.migrate();
    }

    /**
     * The schema version ({@code PRAGMA user_version} on SQLite, the highest version in
     * {@code stories_schema_version} on PostgreSQL, where it needs {@link #migrate()} first).
     */
    public int schemaVersion() {
        return run("read the schema version", () -> jdbc.queryForObject(sql().selectSchemaVersion(), Integer.class));
    }

    /**
     * Inserts the story with version 1, or updates it and increments its version, in one atomic
     * statement: concurrent updates of one story never lose an increment.
     *
     * @return applied with the new version; or, when {@code update.expectedVersion()} is set and
     *         the stored version differs, not applied (nothing changed) with the stored version
     */
    public UpdateResult updateStoryStatus(StoryUpdate update) {
        return write("update story " + update.storyPath(), () -> {
            MapSqlParameterSource params = rows.updateParameters(update);
            List<Long> versions = named.queryForList(sql().upsertStory(), params, Long.class);
            if (!versions.isEmpty()) {
                return new UpdateResult(true, versions.get(0));
            }
            List<Long> current = named.queryForList(sql().selectVersion(), params, Long.class);
            return new UpdateResult(false, current.isEmpty() ? 0 : current.get(0));
        });
    }

    /** The story, or null when there is none at {@code storyPath}. */
    public Story getStory(String storyPath) {
        List<Story> stories = read("get story " + storyPath,
                () -> named.query(sql().selectStory(), Map.of("storyPath", storyPath), rows.storyMapper()));
        return stories.isEmpty() ? null : stories.get(0);
    }

    /** All stories, oldest first. */
    public List<Story> getAllStories() {
        return read("list stories", () -> jdbc.query(sql().selectAllStories(), rows.storyMapper()));
    }

    /** The stories in {@code status}, oldest first. */
    public List<Story> getStoriesByStatus(ProcessingStatus status) {
        return read("list stories in " + status.value(),
                () -> named.query(sql().selectStoriesByStatus(), Map.of("status", status.value()), rows.storyMapper()));
    }

    /** All stories of {@code epicPath}, oldest first. */
    public List<Story> getStoriesOfEpic(String epicPath) {
        return read("list stories of " + epicPath,
                () -> named.query(sql().selectStoriesOfEpic(), Map.of("epicPath", epicPath), rows.storyMapper()));
    }

    /** The stories of {@code epicPath} with the given row ids, oldest first; empty for no ids. */
    public List<Story> getStoriesOfEpic(String epicPath, Collection<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return read("list stories of " + epicPath, () -> named.query(sql().selectStoriesOfEpicByIds(),
                new MapSqlParameterSource("epicPath", epicPath).addValue("ids", ids), rows.storyMapper()));
    }

    /** Stories per stored status value, over all epics. */
    public Map<String, Long> countByStatus() {
        return read("count stories", () -> counts(jdbc.query(sql().countByStatus(), countMapper())));
    }

    /** Stories per status of one epic. */
    public EpicSummary getEpicSummary(String epicPath) {
        return read("summarise " + epicPath, () -> new EpicSummary(epicPath, counts(named.query(
                sql().countByStatusOfEpic(), Map.of("epicPath", epicPath), countMapper()))));
    }

    /** Deletes the story; returns whether there was one. */
    public boolean deleteStory(String storyPath) {
        return write("delete story " + storyPath,
                () -> named.update(sql().deleteStory(), Map.of("storyPath", storyPath)) > 0);
    }

    /** Deletes every story of {@code epicPath} before a re-run; returns how many. */
    public int deleteStoriesOfEpic(String epicPath) {
        return write("delete stories of " + epicPath,
                () -> named.update(sql().deleteStoriesOfEpic(), Map.of("epicPath", epicPath)));
    }

    /** Deletes the given stories of {@code epicPath} before a re-run; returns how many. */
    public int deleteStoriesOfEpic(String epicPath, Collection<String> storyPaths) {
        if (storyPaths.isEmpty()) {
            return 0;
        }
        return write("delete stories of " + epicPath, () -> named.update(sql().deleteStoriesOfEpicByPaths(),
                new MapSqlParameterSource("epicPath", epicPath).addValue("storyPaths", storyPaths)));
    }

    /** Deletes completed and failed stories not updated for {@code age}; returns how many. */
    public int cleanupOlderThan(Duration age) {
        if (age.isNegative()) {
            throw new IllegalArgumentException("cleanup age must not be negative, was " + age);
        }
        String cutoff = LocalDateTime.now(clock.withZone(ZoneOffset.UTC)).minus(age).format(SQLITE_TIMESTAMP);
        return write("clean up stories older than " + age, () -> named.update(sql().deleteFinishedBefore(),
                new MapSqlParameterSource("statuses",
                        List.of(ProcessingStatus.COMPLETED.value(), ProcessingStatus.FAILED.value()))
                        .addValue("cutoff", cutoff)));
    }

    /**
     * Runs {@code work} in one transaction, all or nothing, and returns its result. The write
     * lock is taken first, so the batch never fails half-way upgrading a read to a write; also
     * when the batch joins the caller's transaction (a {@code @Transactional} service), unless
     * that transaction is read-only. A batch inside a batch of this manager on the same thread
     * joins it. A batch of its own is bounded by the operation timeout as a whole; one that joins
     * the caller's transaction by that transaction's timeout, and each statement by the operation timeout.
     *
     * @throws NestedWriteBatchException when the thread is inside a batch of this manager but
     *                                   on another connection (the batch suspended by a
     *                                   {@code REQUIRES_NEW} transaction): that connection would
     *                                   wait for the writer the thread itself holds
     */
    public <T> T inTransaction(Function<StateManager, T> work) {
        return write("batch", () -> transactions.execute(status -> {
            boolean outermost = batches.enter();
            try {
                // The thread's outermost batch claims the lock, in its own transaction or the caller's:
                // a batch inside it is in the same transaction (WriteBatches refuses any other).
                String claim = sql().claimWriteLock();
                if (outermost && claim != null && !TransactionSynchronizationManager.isCurrentTransactionReadOnly()) {
                    jdbc.execute(claim);
                }
                return work.apply(this);
            }
            finally {
                if (outermost) {
                    batches.leave();
                }
            }
        }));
    }

    /** Where the store runs and how the pool is doing. */
    public StateHealth health() {
        return run("health", () -> {
            Path file = store().backups().databaseFile();
            SqlitePool pool = PoolLookup.pool(dataSource);
            PoolStats stats = pool == null ? null : pool.stats();
            boolean ready = schema.isMigrated();
            return new StateHealth(file == null ? null : file.toString(), file != null && Files.exists(file),
                    pool != null, pool == null ? 0 : pool.config().maxConnections(), stats,
                    ready ? jdbc.queryForObject(sql().selectSchemaVersion(), Integer.class) : 0, ready,
                    schema.lastFailure());
        });
    }

    /**
     * Writes a consistent online copy of the database, {@code <stem>_backup_<yyyyMMdd_HHmmss><suffix>}
     * in the backup directory, and verifies it. Called inside a transaction, it copies outside it
     * (SQLite cannot {@code VACUUM INTO} within one): the copy has what is committed, not the
     * transaction's own writes.
     *
     * @return the backup file
     * @throws BackupVerificationException when the copy does not verify
     * @throws UnsupportedOperationException on PostgreSQL ("not supported on PostgreSQL; use pg_dump")
     */
    public Path createBackup() {
        requireBackupSupport();
        schema.ensureMigrated();
        return run("create a backup", () -> schema.outsideTransaction(() -> store().backups().create(true)));
    }

    /**
     * Checks that {@code backup} is a non-empty file that opens as a database, passes the
     * integrity check and has the {@code stories} table. Reads nothing of the live database (it
     * does not migrate it).
     *
     * @throws BackupVerificationException saying what is wrong
     */
    public void verifyBackup(Path backup) {
        requireBackupSupport();
        run("verify backup " + backup, () -> {
            store().backups().verify(backup, true);
            return null;
        });
    }

    /**
     * Verifies {@code backup} and copies it over the live database with SQLite's backup API;
     * other connections of the pool see the restored contents on their next statement.
     * Do not call it while other threads write: their changes are overwritten. The live database
     * is not migrated first (it is replaced); the next operation checks the restored schema and
     * migrates it when the backup is of an older version. Other managers (and processes) on the
     * same database do not know of the restore: restart them.
     */
    public void restoreBackup(Path backup) {
        requireBackupSupport();
        batches.checkWrite("restore backup " + backup);
        try {
            run("restore backup " + backup, () -> {
                store().backups().restore(backup);
                return null;
            });
        }
        finally {
            // Also after a failure: whether the copy got as far as the live file is not known.
            schema.databaseReplaced();
        }
    }

    /**
     * Backups are copies of a SQLite file; a server database has its own tools (pg_dump). Checked
     * before anything touches the database, so that a refused call creates no table.
     */
    private void requireBackupSupport() {
        if (sql().backupSql().isEmpty()) {
            throw new UnsupportedOperationException("Backup and restore are not supported on "
                    + sql().databaseProductName() + "; use pg_dump (and pg_restore) for a PostgreSQL database");
        }
    }

    private <T> T read(String operation, Supplier<T> work) {
        schema.ensureMigrated();
        return run(operation, work);
    }

    private <T> T write(String operation, Supplier<T> work) {
        batches.checkWrite(operation);
        schema.ensureMigrated();
        return run(operation, work);
    }
}
