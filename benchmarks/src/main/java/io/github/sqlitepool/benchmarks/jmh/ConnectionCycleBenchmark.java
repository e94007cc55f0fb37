package io.github.sqlitepool.benchmarks.jmh;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/** The pool's own overhead: lease a connection and give it back, no SQL. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ConnectionCycleBenchmark {

    @Benchmark
    public Connection connectionCycle(PoolState state) throws SQLException {
        Connection connection = state.dataSource.getConnection();
        connection.close();
        return connection;
    }
}
