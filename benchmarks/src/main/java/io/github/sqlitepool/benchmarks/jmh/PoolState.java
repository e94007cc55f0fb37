package io.github.sqlitepool.benchmarks.jmh;

import java.sql.SQLException;

import javax.sql.DataSource;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import com.zaxxer.hikari.HikariDataSource;

import io.github.sqlitepool.benchmarks.load.BenchmarkDatabase;
import io.github.sqlitepool.benchmarks.load.Target;
import io.github.sqlitepool.pool.SqlitePool;

/** One pool of {@link Target#POOL_SIZE} connections on a fresh benchmark database, shared by all threads. */
@State(Scope.Benchmark)
public class PoolState {

    /** The pool under test: {@code sqlite-pool} or {@code hikari}. */
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
            case "hikari" -> {
                HikariDataSource hikari = Target.hikari(database, BenchmarkDatabase.sqliteJdbcProperties());
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
