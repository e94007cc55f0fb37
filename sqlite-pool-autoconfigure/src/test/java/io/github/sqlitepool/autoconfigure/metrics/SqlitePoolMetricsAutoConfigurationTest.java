package io.github.sqlitepool.autoconfigure.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.sqlitepool.autoconfigure.SqlitePoolAutoConfiguration;
import io.github.sqlitepool.pool.HelperThreads;
import io.github.sqlitepool.pool.PoolFixtures;
import io.github.sqlitepool.pool.SqlitePool;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.metrics.DataSourcePoolMetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

class SqlitePoolMetricsAutoConfigurationTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final HelperThreads threads = new HelperThreads();

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SqlitePoolAutoConfiguration.class,
                        SqlitePoolMetricsAutoConfiguration.class, SqlitePoolMetadataAutoConfiguration.class,
                        DataSourceAutoConfiguration.class, DataSourcePoolMetricsAutoConfiguration.class))
                .withPropertyValues("sqlite.pool.url=jdbc:sqlite:" + dir.resolve("app.db"),
                        "sqlite.pool.name=orders");
    }

    private ApplicationContextRunner withRegistry() {
        return runner().withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class));
    }

    @Test
    void bindsThePoolMetersToTheApplicationsRegistry() {
        withRegistry().run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            try (Connection lease = context.getBean(SqlitePool.class).getConnection()) {
                assertThat(registry.get("sqlite.pool.connections.active").tag("pool", "orders").gauge().value())
                        .isEqualTo(1);
            }
            assertThat(registry.get("sqlite.pool.connections.max").tag("pool", "orders").gauge().value())
                    .isEqualTo(5);
            assertThat(registry.get("sqlite.pool.connections.usage").tag("pool", "orders").functionTimer().count())
                    .isEqualTo(1);
            assertThat(registry.find("sqlite.pool.connections.timeout").tag("pool", "orders").counter()).isNotNull();
        });
    }

    /**
     * From the properties to the meters: with group commit turned on, a TransactionTemplate
     * transaction that begins while another holds the write lane joins its group.
     */
    @Test
    void groupCommitsOfSpringTransactionsAreMeasured() {
        withRegistry().withConfiguration(AutoConfigurations.of(DataSourceTransactionManagerAutoConfiguration.class,
                        JdbcTemplateAutoConfiguration.class))
                .withPropertyValues(PoolFixtures.GROUP_WHENEVER_WAITING_PROPERTIES).run(context -> {
                    SqlitePool pool = context.getBean(SqlitePool.class);
                    JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
                    TransactionTemplate transactions = new TransactionTemplate(
                            context.getBean(PlatformTransactionManager.class));
                    jdbc.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT)");

                    Future<?> second = transactions.execute(status -> {
                        jdbc.update("INSERT INTO orders (item) VALUES ('first')"); // takes the lane
                        Future<?> waiting = threads.submit(() -> transactions.executeWithoutResult(
                                s -> jdbc.update("INSERT INTO orders (item) VALUES ('second')")));
                        await().atMost(Duration.ofSeconds(30)).until(() -> pool.writeLaneStats().waiting() == 1);
                        return waiting;
                    });
                    second.get(30, TimeUnit.SECONDS);

                    DistributionSummary members = context.getBean(MeterRegistry.class)
                            .get("sqlite.pool.group.commit.members").tag("pool", "orders").summary();
                    assertThat(members.count()).as("groups committed").isEqualTo(1);
                    assertThat(members.totalAmount()).as("transactions in them").isEqualTo(2);
                    assertThat(jdbc.queryForObject("SELECT count(*) FROM orders", Integer.class)).isEqualTo(2);
                });
    }

    @Test
    void springBootsOwnJdbcConnectionMetersReadThePool() {
        withRegistry().run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            try (Connection lease = context.getBean(SqlitePool.class).getConnection()) {
                assertThat(registry.get("jdbc.connections.active").gauge().value()).isEqualTo(1);
                assertThat(registry.get("jdbc.connections.idle").gauge().value()).isEqualTo(4);
            }
            assertThat(registry.get("jdbc.connections.max").gauge().value()).isEqualTo(5);
            assertThat(registry.get("jdbc.connections.min").gauge().value()).isEqualTo(5);
        });
    }

    @Test
    void backsOffWithoutAMeterRegistryBean() {
        runner().run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(MeterBinder.class));
    }

    @Test
    void backsOffWithoutMicrometer() {
        runner().withClassLoader(new FilteredClassLoader("io.micrometer"))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("sqlitePoolMeterBinder"));
    }

    @Test
    void backsOffWhenThereIsNoPool() {
        withRegistry().withPropertyValues("sqlite.pool.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("sqlitePoolMeterBinder"));
    }
}
