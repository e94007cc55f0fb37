package io.github.sqlitepool.it.jooq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Set;

import io.github.sqlitepool.it.Concurrently;
import io.github.sqlitepool.it.Database;
import io.github.sqlitepool.it.Integration;
import io.github.sqlitepool.it.TestApplications;
import org.jooq.Constants;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** jOOQ (3.19, the last line that runs on Java 17) through Spring Boot's jOOQ auto-configuration. */
class JooqIntegrationTest {

    private static final Table<Record> COUNTER = DSL.table(DSL.name("counter"));

    private static final Field<Long> ID = DSL.field(DSL.name("id"), SQLDataType.BIGINT);

    private static final Field<Long> HITS = DSL.field(DSL.name("hits"), SQLDataType.BIGINT);

    private static final int THREADS = 16;

    private static final int INCREMENTS_PER_THREAD = 25;

    @TempDir
    Path dir;

    @Test
    void detectsTheSqliteDialectAndRunsOnJooq319() {
        try (ConfigurableApplicationContext context = start()) {
            assertThat(context.getBean(DSLContext.class).dialect()).isEqualTo(SQLDialect.SQLITE);
            assertThat(Constants.VERSION).startsWith("3.19.");
        }
    }

    @Test
    void readThenWriteTransactionsFromSixteenThreadsKeepAnExactCount() throws Exception {
        try (ConfigurableApplicationContext context = start()) {
            DSLContext dsl = context.getBean(DSLContext.class);
            TransactionTemplate transactions = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
            createCounter(dsl);
            Concurrently.run(THREADS, () -> {
                for (int i = 0; i < INCREMENTS_PER_THREAD; i++) {
                    transactions.executeWithoutResult(status -> {
                        long hits = dsl.select(HITS).from(COUNTER).where(ID.eq(1L)).fetchSingle(HITS);
                        dsl.update(COUNTER).set(HITS, hits + 1).where(ID.eq(1L)).execute();
                    });
                }
            });
            assertThat(dsl.select(HITS).from(COUNTER).where(ID.eq(1L)).fetchSingle(HITS))
                    .isEqualTo((long) THREADS * INCREMENTS_PER_THREAD);
        }
    }

    @Test
    void jooqTransactionsJoinSpringTransactionsAndRollBackOnException() {
        try (ConfigurableApplicationContext context = start()) {
            DSLContext dsl = context.getBean(DSLContext.class);
            createCounter(dsl);
            assertThatThrownBy(() -> dsl.transaction(configuration -> {
                configuration.dsl().update(COUNTER).set(HITS, 99L).where(ID.eq(1L)).execute();
                throw new IllegalStateException("rolled back");
            })).hasMessageContaining("rolled back");
            dsl.transaction(configuration -> configuration.dsl().update(COUNTER).set(HITS, 5L).where(ID.eq(1L))
                    .execute());
            assertThat(dsl.select(HITS).from(COUNTER).where(ID.eq(1L)).fetchSingle(HITS)).isEqualTo(5L);
        }
    }

    private static void createCounter(DSLContext dsl) {
        dsl.createTable(COUNTER).column(ID, SQLDataType.BIGINT.notNull()).column(HITS, SQLDataType.BIGINT.notNull())
                .primaryKey(ID).execute();
        dsl.insertInto(COUNTER, ID, HITS).values(1L, 0L).execute();
    }

    private ConfigurableApplicationContext start() {
        return TestApplications.run(Database.POOL, TestApplications.url(dir, "jooq.db"), Set.of(Integration.JOOQ),
                JooqApplication.class);
    }
}
