package io.github.sqlitepool.it.transactions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Set;

import javax.sql.DataSource;

import io.github.sqlitepool.it.Database;
import io.github.sqlitepool.it.TestApplications;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A second transaction on a second connection of the same thread, begun before the first one
 * wrote: works on sqlite-jdbc's own data source, so it must work on the pool (issue 14).
 */
class NestedTransactionTest {

    @TempDir
    Path dir;

    @Test
    void requiresNewAuditWrittenBeforeTheWorkStoresBothOnThePlainDriver() {
        requiresNewAuditBeforeTheWork(Database.PLAIN_DRIVER);
    }

    // Issue 14, row 2: failed on the previous lane with CannotCreateTransactionException for the inner transaction.
    @Test
    void requiresNewAuditWrittenBeforeTheWorkStoresBothOnThePool() {
        requiresNewAuditBeforeTheWork(Database.POOL);
    }

    @Test
    void secondConnectionOfTheSameThreadCommitsAWriteOnThePlainDriver() throws Exception {
        secondConnectionWritesWhileTheFirstIsInATransaction(Database.PLAIN_DRIVER);
    }

    // Issue 14, row 6: failed on the previous lane with SQLException (25000) at the second setAutoCommit(false).
    @Test
    void secondConnectionOfTheSameThreadCommitsAWriteOnThePool() throws Exception {
        secondConnectionWritesWhileTheFirstIsInATransaction(Database.POOL);
    }

    private void requiresNewAuditBeforeTheWork(Database database) {
        try (ConfigurableApplicationContext context = start(database)) {
            JdbcClient jdbc = context.getBean(JdbcClient.class);
            jdbc.sql("CREATE TABLE audit (what TEXT NOT NULL)").update();
            jdbc.sql("CREATE TABLE work (what TEXT NOT NULL)").update();
            PlatformTransactionManager transactionManager = context.getBean(PlatformTransactionManager.class);
            TransactionTemplate outer = new TransactionTemplate(transactionManager);
            TransactionTemplate requiresNew = new TransactionTemplate(transactionManager);
            requiresNew.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);

            outer.executeWithoutResult(status -> {
                requiresNew.executeWithoutResult(
                        inner -> jdbc.sql("INSERT INTO audit VALUES ('transfer requested')").update());
                jdbc.sql("INSERT INTO work VALUES ('transfer')").update();
            });

            assertThat(jdbc.sql("SELECT what FROM audit").query(String.class).list())
                    .containsExactly("transfer requested");
            assertThat(jdbc.sql("SELECT what FROM work").query(String.class).list()).containsExactly("transfer");
        }
    }

    private void secondConnectionWritesWhileTheFirstIsInATransaction(Database database) throws Exception {
        try (ConfigurableApplicationContext context = start(database)) {
            DataSource dataSource = context.getBean(DataSource.class);
            context.getBean(JdbcClient.class).sql("CREATE TABLE t (v INTEGER NOT NULL)").update();
            try (Connection c1 = dataSource.getConnection()) {
                c1.setAutoCommit(false);
                try (Connection c2 = dataSource.getConnection()) {
                    c2.setAutoCommit(false);
                    try (Statement insert = c2.createStatement()) {
                        insert.executeUpdate("INSERT INTO t VALUES (1)");
                    }
                    c2.commit();
                }
                c1.commit();
            }
            assertThat(context.getBean(JdbcClient.class).sql("SELECT v FROM t").query(Integer.class).list())
                    .containsExactly(1);
        }
    }

    private ConfigurableApplicationContext start(Database database) {
        return TestApplications.run(database, TestApplications.url(dir, "nested.db"), Set.of(),
                JdbcApplication.class);
    }
}
