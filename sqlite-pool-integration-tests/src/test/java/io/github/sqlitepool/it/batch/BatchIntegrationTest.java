package io.github.sqlitepool.it.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;

import io.github.sqlitepool.it.Database;
import io.github.sqlitepool.it.Integration;
import io.github.sqlitepool.it.TestApplications;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Spring Batch 6 with its JDBC job repository (schema-sqlite.sql) on SQLite. */
class BatchIntegrationTest {

    static final long ROWS = 10_000;

    @TempDir
    Path dir;

    @Test
    void multiThreadedChunkStepCopiesEveryRowOnce() throws Exception {
        try (ConfigurableApplicationContext context = start(Database.POOL)) {
            JobExecution execution = run(context, "multiThreadedJob");
            assertCopied(context, execution);
        }
    }

    @Test
    void partitionedStepCopiesEveryRowOnce() throws Exception {
        try (ConfigurableApplicationContext context = start(Database.POOL)) {
            JobExecution execution = run(context, "partitionedJob");
            assertCopied(context, execution);
            assertThat(execution.getStepExecutions()).extracting(StepExecution::getStepName)
                    .contains("partition-worker:partition-0", "partition-worker:partition-3");
        }
    }

    @Test
    void cursorReaderWithBuilderDefaultsCopiesEveryRowOnThePlainDriver() throws Exception {
        cursorReaderCopiesEveryRow(Database.PLAIN_DRIVER);
    }

    // Issue 14, row 1: JdbcCursorItemReaderBuilder's default connectionAutoCommit is false, so the
    // reader keeps its own connection in a transaction for the whole step; on the previous lane the job ended
    // UNKNOWN with 0 read ("write lane ... already holds the lane through another connection").
    @Test
    void cursorReaderWithBuilderDefaultsCopiesEveryRowOnThePool() throws Exception {
        cursorReaderCopiesEveryRow(Database.POOL);
    }

    private void cursorReaderCopiesEveryRow(Database database) throws Exception {
        try (ConfigurableApplicationContext context = start(database)) {
            JobExecution execution = run(context, "cursorJob");
            assertCopied(context, execution);
        }
    }

    private static JobExecution run(ConfigurableApplicationContext context, String job) throws Exception {
        JdbcClient jdbc = context.getBean(JdbcClient.class);
        jdbc.sql("CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT NOT NULL)").update();
        jdbc.sql("CREATE TABLE person_copy (id INTEGER PRIMARY KEY, name TEXT NOT NULL)").update();
        jdbc.sql("""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
                INSERT INTO person (id, name) SELECT i, 'person ' || i FROM n""").param(ROWS).update();
        return context.getBean(JobOperator.class).start(context.getBean(job, Job.class), new JobParameters());
    }

    private static void assertCopied(ConfigurableApplicationContext context, JobExecution execution) {
        assertThat(execution.getStatus()).as("%s", execution).isEqualTo(BatchStatus.COMPLETED);
        assertThat(execution.getAllFailureExceptions()).isEmpty();
        JdbcClient jdbc = context.getBean(JdbcClient.class);
        assertThat(jdbc.sql("SELECT count(*) FROM person_copy").query(Long.class).single()).isEqualTo(ROWS);
        assertThat(jdbc.sql("SELECT count(*) FROM person_copy WHERE name = upper(name) AND name LIKE 'PERSON %'")
                .query(Long.class).single()).isEqualTo(ROWS);
        long read = execution.getStepExecutions().stream()
                .filter(step -> !step.getStepName().equals("partitioned-copy"))
                .mapToLong(StepExecution::getReadCount).sum();
        assertThat(read).isEqualTo(ROWS);
        // the job repository on SQLite recorded the run
        assertThat(jdbc.sql("SELECT status FROM BATCH_JOB_EXECUTION WHERE JOB_EXECUTION_ID = ?")
                .param(execution.getId()).query(String.class).single()).isEqualTo("COMPLETED");
    }

    private ConfigurableApplicationContext start(Database database) {
        return TestApplications.run(database, TestApplications.url(dir, "batch.db"), Set.of(Integration.BATCH),
                BatchApplication.class, BatchApplication.PROPERTIES);
    }
}
