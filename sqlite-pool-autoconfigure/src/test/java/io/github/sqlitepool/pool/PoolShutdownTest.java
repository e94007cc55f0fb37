package io.github.sqlitepool.pool;

import static io.github.sqlitepool.pool.PoolFixtures.execute;
import static io.github.sqlitepool.pool.PoolFixtures.queryLong;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Closing the pool with leases still out: every connection it opened is closed, the reserve's too. */
class PoolShutdownTest {

    @TempDir
    Path dir;

    @Test
    void aReserveLeaseStillOutIsWaitedForAndThenClosedWithThePool() throws Exception {
        SqlitePool pool = new SqlitePool(PoolFixtures.config(dir, 1).shutdownTimeout(Duration.ofMillis(300)).build());
        Connection outer = pool.getConnection();
        outer.setAutoCommit(false);
        queryLong(outer, "SELECT 1"); // a transaction open on this thread's only pooled connection
        Connection second = pool.getConnection(); // none is idle: the reserve's, for a thread with a transaction open
        execute(second, "CREATE TABLE t (n INTEGER)");
        assertThat(pool.stats().idle()).isZero();
        outer.close(); // only the reserve's lease is out now

        long start = System.nanoTime();
        pool.close();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the reserve's lease was waited for")
                .isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThatThrownBy(() -> queryLong(second, "SELECT count(*) FROM t")).as("the reserve's connection is closed")
                .isInstanceOf(SQLException.class);
        second.close();
    }
}
