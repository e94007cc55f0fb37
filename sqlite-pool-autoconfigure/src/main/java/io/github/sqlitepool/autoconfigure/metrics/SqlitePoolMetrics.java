package io.github.sqlitepool.autoconfigure.metrics;

import java.sql.Connection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToIntFunction;

import io.github.sqlitepool.pool.PoolListener;
import io.github.sqlitepool.pool.PoolStats;
import io.github.sqlitepool.pool.SqlitePool;
import io.github.sqlitepool.pool.WalFile;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Micrometer meters of one {@link SqlitePool}, tagged {@code pool=<name>}:
 * <ul>
 * <li>gauges {@code sqlite.pool.connections.active}, {@code .idle}, {@code .pending}
 * (threads waiting for a connection), {@code .max}, and {@code sqlite.pool.wal.size}
 * (bytes of the WAL file), read from the pool when the registry asks;</li>
 * <li>function timers (count and total, no max) {@code sqlite.pool.connections.acquire} (wait
 * for a lease; 0 when one was idle) and {@code sqlite.pool.connections.usage} (lease held): they
 * are recorded on every lease, where a full Timer was measured to double the lease's cost;</li>
 * <li>timers {@code sqlite.pool.write.lane.wait} and {@code sqlite.pool.write.lane.held};</li>
 * <li>counters {@code sqlite.pool.connections.timeout} (callers that gave up waiting for a connection)
 * and {@code sqlite.pool.write.lane.timeout} (writers that gave up waiting for the write lane);</li>
 * <li>gauge {@code sqlite.pool.storage.writable} (1 or 0, see {@link SqlitePool#storageHealth()})
 * and function counter {@code sqlite.pool.storage.failures} (writes that failed in storage);</li>
 * <li>gauge {@code sqlite.pool.checkpoint.starved} (seconds checkpoints have stayed incomplete);</li>
 * <li>function counters {@code sqlite.pool.lane.serialization.failures} (writes refused with
 * SQLState 40001: their transaction lost the lane after reading and someone committed since),
 * {@code sqlite.pool.lane.revocations} (lane holds of transactions that had only read, taken
 * from them) and {@code sqlite.pool.connections.reserve.leases} (leases served from the reserve
 * connections), read from the pool's stats;</li>
 * <li>gauge {@code sqlite.pool.statements.cached} and function counter
 * {@code sqlite.pool.statements.prepared} tagged {@code cache=hit|miss}, read from the pool's
 * statement caches;</li>
 * <li>distribution summary {@code sqlite.pool.group.commit.members} (members per group commit
 * that committed: transactions and grouped auto-commit writes; its count is the groups committed)
 * and counter {@code sqlite.pool.group.commit.failures} (groups that did not commit), counter
 * {@code sqlite.pool.group.commit.deadlocks} (members rolled back to break a deadlock).</li>
 * </ul>
 * Timers, counters and the summary are fed by a {@link PoolListener} that the binder adds to the pool;
 * gauges cost nothing on the lease path.
 */
public final class SqlitePoolMetrics implements MeterBinder {

    private final SqlitePool pool;

    /** Meters for {@code pool}; nothing is registered until {@link #bindTo(MeterRegistry)}. */
    public SqlitePoolMetrics(SqlitePool pool) {
        this.pool = pool;
    }

    /** Registers the meters in {@code registry} and starts feeding its timers, counters and summary. */
    @Override
    public void bindTo(MeterRegistry registry) {
        Tags tags = Tags.of("pool", pool.name());
        gauge(registry, tags, "sqlite.pool.connections.active", "Connections leased out", PoolStats::active);
        gauge(registry, tags, "sqlite.pool.connections.idle", "Connections waiting in the pool", PoolStats::idle);
        gauge(registry, tags, "sqlite.pool.connections.pending", "Threads waiting for a connection",
                PoolStats::waiting);
        gauge(registry, tags, "sqlite.pool.connections.max", "Configured number of connections", PoolStats::max);
        Gauge.builder("sqlite.pool.wal.size", pool, WalFile::size)
                .description("Size of the write-ahead log file")
                .baseUnit("bytes")
                .tags(tags)
                .register(registry);
        Gauge.builder("sqlite.pool.storage.writable", pool, p -> p.storageHealth().writable() ? 1 : 0)
                .description("1 while writes can succeed; 0 while the pool refuses them (a database, WAL or shm "
                        + "file deleted, replaced or damaged) or recent writes failed in storage (disk full, I/O error)")
                .tags(tags)
                .register(registry);
        FunctionCounter.builder("sqlite.pool.storage.failures", pool, p -> p.storageHealth().failureCount())
                .description("Statements and commits that failed in storage (disk full, I/O error, read-only file)")
                .tags(tags)
                .register(registry);
        Gauge.builder("sqlite.pool.checkpoint.starved", pool, p -> p.checkpointStats().starvedMillis() / 1000.0)
                .description("How long WAL checkpoints have stayed incomplete because readers keep old snapshots")
                .baseUnit("seconds")
                .tags(tags)
                .register(registry);
        Gauge.builder("sqlite.pool.statements.cached", pool, p -> p.statementCacheStats().cached())
                .description("Prepared statements kept open between leases, over all connections")
                .tags(tags)
                .register(registry);
        FunctionCounter.builder("sqlite.pool.statements.prepared", pool, p -> p.statementCacheStats().hits())
                .description("prepareStatement calls for cacheable SQL, by whether the cache answered")
                .tags(tags.and("cache", "hit"))
                .register(registry);
        FunctionCounter.builder("sqlite.pool.statements.prepared", pool, p -> p.statementCacheStats().misses())
                .description("prepareStatement calls for cacheable SQL, by whether the cache answered")
                .tags(tags.and("cache", "miss"))
                .register(registry);
        FunctionCounter.builder("sqlite.pool.lane.serialization.failures", pool,
                        p -> p.writeLaneStats().serializationFailures())
                .description("Writes refused with SQLState 40001: the transaction had lost the write lane after "
                        + "reading, and another transaction committed after its snapshot; retry the transaction")
                .tags(tags)
                .register(registry);
        FunctionCounter.builder("sqlite.pool.lane.revocations", pool, p -> p.writeLaneStats().revocations())
                .description("Write lane holds of transactions that had only read, taken from them by a waiting "
                        + "writer after the bound or by their own thread's other connection")
                .tags(tags)
                .register(registry);
        FunctionCounter.builder("sqlite.pool.connections.reserve.leases", pool, p -> p.stats().reserveLeases())
                .description("Leases served from the reserve connections (to the write lane's holder, or to a "
                        + "thread with a transaction open on another lease, when no connection was idle)")
                .tags(tags)
                .register(registry);
        NanoTally acquire = tally(registry, tags, "sqlite.pool.connections.acquire", "Time waited for a connection");
        NanoTally usage = tally(registry, tags, "sqlite.pool.connections.usage", "Time a connection was held");
        Timer laneWait = timer(registry, tags, "sqlite.pool.write.lane.wait", "Time waited for the write lane");
        Timer laneHeld = timer(registry, tags, "sqlite.pool.write.lane.held", "Time the write lane was held");
        Counter timeouts = Counter.builder("sqlite.pool.connections.timeout")
                .description("Callers that gave up waiting for a connection after acquire-timeout")
                .tags(tags)
                .register(registry);
        Counter laneTimeouts = Counter.builder("sqlite.pool.write.lane.timeout")
                .description("Writers that gave up waiting for the write lane after acquire-timeout: their write "
                        + "did not run")
                .tags(tags)
                .register(registry);
        DistributionSummary groupMembers = DistributionSummary.builder("sqlite.pool.group.commit.members")
                .description("Members of each group commit that committed (transactions and grouped auto-commit "
                        + "writes), the one that opened it included; the count is the groups committed")
                .baseUnit("transactions")
                .tags(tags)
                .register(registry);
        Counter groupFailures = Counter.builder("sqlite.pool.group.commit.failures")
                .description("Group commits that did not commit (their COMMIT failed, or SQLite rolled their "
                        + "transaction back): nothing of them was committed, and every member's caller got the error")
                .tags(tags)
                .register(registry);
        Counter groupDeadlocks = Counter.builder("sqlite.pool.group.commit.deadlocks")
                .description("Group commit members rolled back with SQLState 40001 because their thread waited for "
                        + "a lock that a caller waiting for their group held across commit(); retry them, and do "
                        + "not hold locks across commit()")
                .tags(tags)
                .register(registry);
        pool.addListener(new Recorder(acquire, usage, laneWait, laneHeld, timeouts, laneTimeouts, groupMembers,
                groupFailures, groupDeadlocks));
    }

    private void gauge(MeterRegistry registry, Tags tags, String name, String description,
            ToIntFunction<PoolStats> value) {
        Gauge.builder(name, pool, p -> value.applyAsInt(p.stats()))
                .description(description)
                .tags(tags)
                .register(registry);
    }

    private static NanoTally tally(MeterRegistry registry, Tags tags, String name, String description) {
        NanoTally tally = new NanoTally();
        FunctionTimer.builder(name, tally, NanoTally::count, NanoTally::totalNanos, TimeUnit.NANOSECONDS)
                .description(description).tags(tags).register(registry);
        return tally;
    }

    /** A count and a total, kept with two adders: cheaper on the lease path than a full Timer. */
    static final class NanoTally {
        private final LongAdder count = new LongAdder();
        private final LongAdder total = new LongAdder();

        void record(long nanos) {
            count.increment();
            total.add(nanos);
        }

        long count() {
            return count.sum();
        }

        double totalNanos() {
            return total.sum();
        }
    }

    private static Timer timer(MeterRegistry registry, Tags tags, String name, String description) {
        return Timer.builder(name).description(description).tags(tags).register(registry);
    }

    /** Records the pool's events; each method is one Micrometer call, which does not throw. */
    private record Recorder(NanoTally acquire, NanoTally usage, Timer laneWait, Timer laneHeld, Counter timeouts,
            Counter laneTimeouts, DistributionSummary groupMembers, Counter groupFailures, Counter groupDeadlocks)
            implements PoolListener {

        @Override
        public void leaseAcquired(Connection lease, long waitNanos) {
            acquire.record(waitNanos);
        }

        @Override
        public void leaseReleased(Connection lease, long heldNanos) {
            usage.record(heldNanos);
        }

        @Override
        public void acquireTimedOut(PoolStats stats) {
            timeouts.increment();
        }

        @Override
        public void writeLaneAcquired(long waitNanos) {
            laneWait.record(waitNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void writeLaneTimedOut() {
            laneTimeouts.increment();
        }

        @Override
        public void writeLaneReleased(long heldNanos) {
            laneHeld.record(heldNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void groupCommitEnded(int members, boolean committed) {
            if (committed) {
                groupMembers.record(members);
            } else {
                groupFailures.increment();
            }
        }

        @Override
        public void groupDeadlockBroken() {
            groupDeadlocks.increment();
        }
    }
}
