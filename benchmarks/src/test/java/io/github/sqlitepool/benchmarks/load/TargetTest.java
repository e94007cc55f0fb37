package io.github.sqlitepool.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TargetTest {

    @Test
    void poolSizeIsEightUnlessThePropertySaysOtherwise() {
        assertThat(Target.POOL_SIZE).isEqualTo(Integer.getInteger(Target.POOL_SIZE_PROPERTY, 8));
        assertThat(Target.poolSize(" 32 ")).isEqualTo(32);
    }

    @Test
    void aPoolSizeOutOfRangeOrNotANumberIsRefusedByName() {
        assertThatThrownBy(() -> Target.poolSize("0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sqlite.pool.bench.pool-size must be 1 to 1024, was 0");
        assertThatThrownBy(() -> Target.poolSize("many")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sqlite.pool.bench.pool-size must be a number of connections, was 'many'");
    }
}
