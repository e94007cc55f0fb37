package io.github.sqlitepool.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** A batch that joins the caller's transaction ({@code @Transactional} service) claims the write lock too. */
class StateManagerJoinedBatchTest extends PoolOnFileTest {

    @Test
    void aBatchInTheCallersTransactionHoldsTheWriterFromItsStartSoItsReadThenWriteCannotFail() throws Exception {
        Path file = dir.resolve("state.db");
        pool = StateFixtures.pool(file, 3);
        StateManager state = StateFixtures.manager(pool, dir.resolve("backups"));
        state.updateStoryStatus(StoryUpdate.of("s1.md", "e1.md", ProcessingStatus.PENDING).withIteration(0));
        TransactionTemplate callers = new TransactionTemplate(new DataSourceTransactionManager(pool));
        Throwable[] otherWrite = new Throwable[1];

        Long version = callers.execute(outer -> state.inTransaction(s -> {
            int iteration = s.getStory("s1.md").iteration();
            // Another process writes between the batch's read and its write; it must find the writer
            // taken (and not wait, with no busy timeout) rather than make the batch's snapshot stale.
            otherWrite[0] = catchThrowable(() -> writeFromAnotherProcess(file));
            return s.updateStoryStatus(StoryUpdate.of("s1.md", "e1.md", ProcessingStatus.IN_PROGRESS)
                    .withIteration(iteration + 1)).version();
        }));

        assertThat(otherWrite[0]).as("the other process's write").isNotNull().hasMessageContaining("SQLITE_BUSY");
        assertThat(version).isEqualTo(2);
        assertThat(state.getStory("s1.md").iteration()).isEqualTo(1);
        assertThat(pool.stats().active()).isZero();
    }

    private static void writeFromAnotherProcess(Path file) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA busy_timeout = 0");
            statement.execute("UPDATE stories SET iteration = 100 WHERE story_path = 's1.md'");
        }
    }
}
