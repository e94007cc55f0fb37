package io.github.sqlitepool.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A very short run of every workload on sqlite-pool, with and without group commit (of auto-commit writes too). Not a
 * benchmark: it asserts only that operations were done and none failed, never how fast.
 */
class LoadHarnessSmokeTest {

    private final LoadRunner runner = new LoadRunner(Duration.ofMillis(100), Duration.ofMillis(400));

    static Stream<Arguments> sqlitePoolTargetsAndWorkloads() {
        return Stream.of(Target.SQLITE_POOL, Target.SQLITE_POOL_GROUP, Target.SQLITE_POOL_GROUP_WRITES)
                .flatMap(target -> Arrays.stream(Workload.values()).map(workload -> Arguments.of(target, workload)));
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("sqlitePoolTargetsAndWorkloads")
    void workloadRunsOnSqlitePoolWithoutErrors(Target target, Workload workload) {
        CellResult result = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> runner.run(workload, target, 4));

        assertThat(result.errors()).as("errors of %s on %s", workload, target).isEmpty();
        assertThat(result.ops()).as("operations of %s on %s", workload, target).isPositive();
        assertThat(result.maxNanos()).isGreaterThanOrEqualTo(result.p99Nanos())
                .as("latency histogram consistent").isPositive();
    }

    /** The split routes reads to its readers and everything that writes to its one writer, without errors. */
    @ParameterizedTest
    @EnumSource(value = Workload.class, names = {"READ", "WRITE", "RMW", "MIXED", "BLEND"})
    void theHandMadeSplitRunsWithoutErrors(Workload workload) {
        CellResult result = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> runner.run(workload, Target.SPLIT, 4));

        assertThat(result.errors()).as("errors of %s on the split", workload).isEmpty();
        assertThat(result.ops()).isPositive();
    }

    @ParameterizedTest
    @EnumSource(Workload.class)
    void serialTargetRunsEveryWorkloadWithoutErrors(Workload workload) {
        CellResult result = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> runner.run(workload, Target.SERIAL, 1));

        assertThat(result.errors()).isEmpty();
        assertThat(result.ops()).isPositive();
    }
}
