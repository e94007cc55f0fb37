package io.github.sqlitepool.it.batch;

import java.util.HashMap;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.batch.infrastructure.item.database.JdbcBatchItemWriter;
import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.batch.infrastructure.item.database.Order;
import org.springframework.batch.infrastructure.item.database.builder.JdbcBatchItemWriterBuilder;
import org.springframework.batch.infrastructure.item.database.builder.JdbcCursorItemReaderBuilder;
import org.springframework.batch.infrastructure.item.database.builder.JdbcPagingItemReaderBuilder;
import org.springframework.batch.infrastructure.item.database.support.SqlitePagingQueryProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.jdbc.core.DataClassRowMapper;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Three jobs that copy {@code person} into {@code person_copy} with upper-cased names: one
 * reading with a {@code JdbcCursorItemReader}, one multi-threaded chunk step, one partitioned step.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class BatchApplication {

    /** What a user sets for a JDBC job repository on SQLite (docs/integrations/batch.md). */
    static final String[] PROPERTIES = {
            "spring.batch.jdbc.initialize-schema=always",
            "spring.batch.job.enabled=false" };

    static final int CHUNK = 100;

    static final int THREADS = 4;

    private static final String INSERT_COPY = "INSERT INTO person_copy (id, name) VALUES (:id, :name)";

    @Bean
    Job cursorJob(JobRepository jobs, PlatformTransactionManager transactions, DataSource dataSource) {
        Step step = new StepBuilder("cursor-copy", jobs).<Person, Person>chunk(CHUNK)
                .transactionManager(transactions)
                .reader(new JdbcCursorItemReaderBuilder<Person>()
                        .name("person-cursor")
                        .dataSource(dataSource)
                        .sql("SELECT id, name FROM person ORDER BY id")
                        .rowMapper(new DataClassRowMapper<>(Person.class))
                        .build())
                .processor(upperCase())
                .writer(writer(dataSource))
                .build();
        return new JobBuilder("cursor-job", jobs).start(step).build();
    }

    @Bean
    Job multiThreadedJob(JobRepository jobs, PlatformTransactionManager transactions, DataSource dataSource)
            throws Exception {
        JdbcPagingItemReader<Person> reader = pagingReader(dataSource, "person-pages", null);
        reader.setSaveState(false);
        Step step = new StepBuilder("multi-threaded-copy", jobs).<Person, Person>chunk(CHUNK)
                .transactionManager(transactions)
                .reader(reader)
                .processor(upperCase())
                .writer(writer(dataSource))
                .taskExecutor(executor("chunk-"))
                .build();
        return new JobBuilder("multi-threaded-job", jobs).start(step).build();
    }

    @Bean
    Job partitionedJob(JobRepository jobs, Step partitionWorker) {
        Step manager = new StepBuilder("partitioned-copy", jobs)
                .partitioner("partition-worker", idRanges())
                .step(partitionWorker)
                .gridSize(THREADS)
                .taskExecutor(executor("partition-"))
                .build();
        return new JobBuilder("partitioned-job", jobs).start(manager).build();
    }

    @Bean
    Step partitionWorker(JobRepository jobs, PlatformTransactionManager transactions, DataSource dataSource,
            JdbcPagingItemReader<Person> partitionReader) {
        return new StepBuilder("partition-worker", jobs).<Person, Person>chunk(CHUNK)
                .transactionManager(transactions)
                .reader(partitionReader)
                .processor(upperCase())
                .writer(writer(dataSource))
                .build();
    }

    @Bean
    @StepScope
    JdbcPagingItemReader<Person> partitionReader(DataSource dataSource,
            @Value("#{stepExecutionContext['min']}") Long min, @Value("#{stepExecutionContext['max']}") Long max) throws Exception {
        JdbcPagingItemReader<Person> reader = pagingReader(dataSource, "person-partition",
                "id BETWEEN :min AND :max");
        reader.setParameterValues(Map.of("min", min, "max", max));
        return reader;
    }

    /** Splits 1..{@link BatchIntegrationTest#ROWS} into gridSize contiguous id ranges. */
    private static Partitioner idRanges() {
        return gridSize -> {
            Map<String, ExecutionContext> partitions = new HashMap<>();
            long size = (BatchIntegrationTest.ROWS + gridSize - 1) / gridSize;
            for (int i = 0; i < gridSize; i++) {
                ExecutionContext context = new ExecutionContext();
                context.putLong("min", i * size + 1);
                context.putLong("max", Math.min((i + 1) * size, BatchIntegrationTest.ROWS));
                partitions.put("partition-" + i, context);
            }
            return partitions;
        };
    }

    private static JdbcPagingItemReader<Person> pagingReader(DataSource dataSource, String name, String where)
            throws Exception {
        SqlitePagingQueryProvider query = new SqlitePagingQueryProvider();
        query.setSelectClause("SELECT id, name");
        query.setFromClause("FROM person");
        if (where != null) {
            query.setWhereClause(where);
        }
        query.setSortKeys(Map.of("id", Order.ASCENDING));
        return new JdbcPagingItemReaderBuilder<Person>()
                .name(name)
                .dataSource(dataSource)
                .queryProvider(query)
                .pageSize(CHUNK)
                .rowMapper(new DataClassRowMapper<>(Person.class))
                .build();
    }

    private static ItemProcessor<Person, Person> upperCase() {
        return person -> new Person(person.id(), person.name().toUpperCase(java.util.Locale.ROOT));
    }

    private static JdbcBatchItemWriter<Person> writer(DataSource dataSource) {
        return new JdbcBatchItemWriterBuilder<Person>()
                .dataSource(dataSource)
                .sql(INSERT_COPY)
                .beanMapped()
                .build();
    }

    private static SimpleAsyncTaskExecutor executor(String threadNamePrefix) {
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor(threadNamePrefix);
        executor.setConcurrencyLimit(THREADS);
        return executor;
    }
}
