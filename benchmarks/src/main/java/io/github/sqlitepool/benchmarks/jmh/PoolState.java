package io.github.sqlitepool.benchmarks.jmh;

import java.sql.SQLException;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.github.sqlitepool.autoconfigure.metrics.SqlitePoolMetrics;
import io.github.sqlitepool.benchmarks.load.BenchmarkDatabase;
import io.github.sqlitepool.benchmarks.load.Target;
import io.github.sqlitepool.pool.SqlitePool;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** One pool of {@link Target#POOL_SIZE} connections on a fresh benchmark database, shared by all threads. */
@State(Scope.Benchmark)
public class PoolState {

    /**
     * The pool under test: {@code sqlite-pool}, {@code hikari}, or {@code sqlite-pool-metrics}
     * (sqlite-pool with its Micrometer meters bound to a registry, to price the measuring; run it
     * with {@code -p pool=sqlite-pool,sqlite-pool-metrics}).
     */
    @Param({"sqlite-pool", "hikari"})
    public String pool;

    private BenchmarkDatabase database;
    private AutoCloseable closeable;
    DataSource dataSource;

    @Setup(Level.Trial)
    public void open() throws SQLException {
        database = BenchmarkDatabase.create();
        switch (pool) {
            case "sqlite-pool" -> {
                SqlitePool sqlitePool = new SqlitePool(Target.sqlitePoolConfig(database).build());
                dataSource = sqlitePool;
                closeable = sqlitePool;
            }
            case "sqlite-pool-metrics" -> {
                SqlitePool sqlitePool = new SqlitePool(Target.sqlitePoolConfig(database).build());
                new SqlitePoolMetrics(sqlitePool).bindTo(new SimpleMeterRegistry());
                dataSource = sqlitePool;
                closeable = sqlitePool;
            }
            case "hikari" -> {
                HikariDataSource hikari = Target.hikari(database, database.sqliteJdbcProperties());
                dataSource = hikari;
                closeable = hikari;
            }
            default -> throw new IllegalArgumentException("unknown pool " + pool);
        }
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        try {
            closeable.close();
        } finally {
            database.close();
        }
    }
}
