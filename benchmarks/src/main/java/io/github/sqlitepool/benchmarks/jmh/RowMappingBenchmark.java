package io.github.sqlitepool.benchmarks.jmh;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Lease, query 100 rows and map each the way Spring's {@code BeanPropertyRowMapper} does: ask
 * {@code getMetaData()} for every row, then read every column by its label. Most calls go through
 * the result set and metadata wrappers, so this prices their delegation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RowMappingBenchmark {

    private static final String QUERY = "SELECT id, counter, name FROM items WHERE id <= 100";

    @Benchmark
    public void rowMapping(PoolState state, Blackhole blackhole) throws SQLException {
        try (Connection connection = state.dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(QUERY);
             ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                ResultSetMetaData metaData = rs.getMetaData();
                int columns = metaData.getColumnCount();
                for (int column = 1; column <= columns; column++) {
                    blackhole.consume(rs.getObject(metaData.getColumnLabel(column)));
                }
            }
        }
    }
}
