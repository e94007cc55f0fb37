package io.github.sqlitepool.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class ChildJvmTest {

    @Test
    void keepsTheCompleteLinesTheChildPrintedBeforeTheKill() throws Exception {
        ChildJvm child = ChildJvm.start(List.of("-Xmx32m"), ReportingChild.class, "ready");
        try {
            assertThat(child.awaitReady(Duration.ofSeconds(60))).as("the child printed READY END").isTrue();
            assertThat(child.hasLine(line -> line.startsWith("FIRST"))).isTrue();
            assertThat(child.hasLine(line -> line.startsWith("CUT"))).as("a line without END is dropped").isFalse();
        } finally {
            child.kill();
        }
        assertThat(child.awaitExit()).containsExactly("FIRST END", "READY END");
    }

    @Test
    void aChildThatNeverGetsReadyIsNotReady() throws Exception {
        ChildJvm child = ChildJvm.start(List.of("-Xmx32m"), ReportingChild.class);
        try {
            // the child's output is read before it blocks, so "not ready" is its answer, not a race
            assertThat(child.awaitReady(Duration.ofMillis(500))).isFalse();
        } finally {
            child.kill();
        }
        assertThat(child.awaitExit()).containsExactly("FIRST END");
    }
}
