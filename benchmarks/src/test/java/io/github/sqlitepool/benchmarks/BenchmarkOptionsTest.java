package io.github.sqlitepool.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.sqlitepool.benchmarks.load.Target;
import io.github.sqlitepool.benchmarks.load.Workload;
import io.github.sqlitepool.pool.config.Synchronous;

class BenchmarkOptionsTest {

    @Test
    void defaultsCoverTheFullRun() {
        BenchmarkOptions options = BenchmarkOptions.parse();

        assertThat(options.threads()).containsExactly(1, 2, 4, 16, 64, 256);
        assertThat(options.workloads()).containsExactly(Workload.READ, Workload.WRITE, Workload.RMW, Workload.THINK,
                Workload.MIXED);
        assertThat(options.targets()).containsExactly(Target.values());
        assertThat(options.jmh()).isTrue();
        assertThat(options.synchronous()).isEqualTo(Synchronous.NORMAL);
        assertThat(options.output()).isEqualTo(Path.of("docs", "benchmarks"));
    }

    @Test
    void synchronousFullIsAChoiceAndOtherLevelsAreNot() {
        assertThat(BenchmarkOptions.parse("--synchronous", "full").synchronous()).isEqualTo(Synchronous.FULL);
        assertThatIllegalArgumentException().isThrownBy(() -> BenchmarkOptions.parse("--synchronous", "OFF"))
                .withMessageContaining("--synchronous").withMessageContaining("OFF");
    }

    @Test
    void flagsNarrowTheRunAndSerialIsAlwaysKept() {
        BenchmarkOptions options = BenchmarkOptions.parse("--duration", "0.5", "--warmup", "0", "--threads", "4,64",
                "--workloads", "write,rmw", "--targets", "sqlite-pool", "--no-jmh", "--output", "out", "--note", "shared machine");

        assertThat(options.duration()).isEqualTo(Duration.ofMillis(500));
        assertThat(options.warmup()).isZero();
        assertThat(options.threads()).isEqualTo(List.of(4, 64));
        assertThat(options.workloads()).containsExactly(Workload.WRITE, Workload.RMW);
        assertThat(options.targets()).containsExactly(Target.SERIAL, Target.SQLITE_POOL);
        assertThat(options.jmh()).isFalse();
        assertThat(options.output()).isEqualTo(Path.of("out"));
        assertThat(options.note()).isEqualTo("shared machine");
    }

    @Test
    void badValuesNameTheFlag() {
        assertThatIllegalArgumentException().isThrownBy(() -> BenchmarkOptions.parse("--threads", "0"))
                .withMessageContaining("--threads");
        assertThatIllegalArgumentException().isThrownBy(() -> BenchmarkOptions.parse("--workloads", "scan"))
                .withMessageContaining("--workloads").withMessageContaining("scan");
        assertThatIllegalArgumentException().isThrownBy(() -> BenchmarkOptions.parse("--duration", "0"))
                .withMessageContaining("--duration");
        assertThatIllegalArgumentException().isThrownBy(() -> BenchmarkOptions.parse("--duration"))
                .withMessageContaining("needs a value");
        assertThatIllegalArgumentException().isThrownBy(() -> BenchmarkOptions.parse("--fast"))
                .withMessageContaining("--fast");
    }
}
