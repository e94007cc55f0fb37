package io.github.sqlitepool.state;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.github.sqlitepool.pool.UnpooledSqliteDataSource;
import io.github.sqlitepool.pool.config.SqlitePoolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One-way copy of all stories from a SQLite state database into a PostgreSQL one, for an
 * application moving to PostgreSQL. Both schemas are migrated first (the source, like the
 * application would at startup, after a backup when it is behind). Every story keeps its
 * status, phase, iteration, QA result, error message, timestamps and version (row ids are the
 * target's own). The copy runs in one target transaction: all stories or none.
 *
 * <p>Re-running is safe: a story is matched by {@code story_path}; it is inserted when the
 * target lacks it, replaced when the target's version is not newer than the source's, and left
 * alone when the target's is newer (it was updated on PostgreSQL after the move). Stories only
 * in the target are kept.
 */
public final class StateCopier {

    private static final Logger log = LoggerFactory.getLogger(StateCopier.class);

    private StateCopier() {
    }

    /**
     * Copies every story of {@code sqliteSource} into {@code postgresTarget}.
     *
     * @return how many stories were written to the target (inserted or replaced)
     */
    public static int copy(DataSource sqliteSource, DataSource postgresTarget) {
        StateSql source = new SqliteStateSql();
        StateSql target = new PostgresStateSql();
        new StateManager(sqliteSource, StateManagerOptions.defaults().withSql(source)).migrate();
        new StateManager(postgresTarget, StateManagerOptions.defaults().withSql(target)).migrate();
        List<Map<String, Object>> stories = new JdbcTemplate(sqliteSource).queryForList(source.selectAllStories());
        NamedParameterJdbcTemplate named = new NamedParameterJdbcTemplate(postgresTarget);
        Integer written = new TransactionTemplate(new DataSourceTransactionManager(postgresTarget)).execute(tx -> {
            int n = 0;
            for (Map<String, Object> story : stories) {
                n += named.update(target.importStory(), params(story));
            }
            return n;
        });
        log.info("Copied {} of {} stories into PostgreSQL", written, stories.size());
        return written == null ? 0 : written;
    }

    private static MapSqlParameterSource params(Map<String, Object> story) {
        Object version = story.get("version");
        Object iteration = story.get("iteration");
        return new MapSqlParameterSource()
                .addValue("storyPath", story.get("story_path"))
                .addValue("epicPath", story.get("epic_path"))
                .addValue("status", story.get("status"))
                .addValue("phase", story.get("phase"))
                .addValue("iteration", iteration == null ? null : ((Number) iteration).intValue())
                .addValue("qaResult", story.get("qa_result"))
                .addValue("errorMessage", story.get("error_message"))
                .addValue("createdAt", text(story.get("created_at")))
                .addValue("updatedAt", text(story.get("updated_at")))
                .addValue("version", version == null ? 1L : ((Number) version).longValue());
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    /**
     * {@code java -cp <classpath> io.github.sqlitepool.state.StateCopier <sqlite-file> <postgres-jdbc-url>
     * [user]}, the password from environment variable {@code PGPASSWORD}. The classpath needs this
     * jar, sqlite-jdbc, the PostgreSQL driver, Spring JDBC, Jackson and SLF4J (an application's
     * runtime classpath has them).
     */
    public static void main(String[] args) {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: StateCopier <sqlite-file> <postgres-jdbc-url> [user]   (password: $PGPASSWORD)");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        if (!Files.isRegularFile(file)) {
            System.err.println("No SQLite database at " + file.toAbsolutePath());
            System.exit(2);
        }
        DataSource sqlite = new UnpooledSqliteDataSource(
                SqlitePoolConfig.builder().url(new SqliteStateSql().standaloneUrl(file)).name("state-copier").build());
        DriverManagerDataSource postgres = new DriverManagerDataSource(args[1]);
        if (args.length == 3) {
            postgres.setUsername(args[2]);
        }
        postgres.setPassword(System.getenv("PGPASSWORD"));
        System.out.println("Copied " + copy(sqlite, postgres) + " stories from " + file + " to " + args[1]);
    }
}
