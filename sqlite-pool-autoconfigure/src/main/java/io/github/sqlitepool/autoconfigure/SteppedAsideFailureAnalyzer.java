package io.github.sqlitepool.autoconfigure;

import java.util.Locale;
import java.util.Set;

import io.github.sqlitepool.pool.config.SqliteUrl;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Explains a missing {@code DataSource}, {@code JdbcTemplate}, {@code JdbcClient} or transaction
 * manager when the starter stepped aside because {@code spring.datasource.url} names something
 * other than SQLite (a mistyped {@code jdbc:sqllite:}, or a PostgreSQL URL without its driver) and
 * Spring Boot's own data source auto-configuration then made no {@code DataSource} either. Without
 * it, Boot reports only that a bean "could not be found". Runs before Boot's generic analyzer of
 * missing beans, and leaves every other missing bean to it.
 */
class SteppedAsideFailureAnalyzer extends AbstractFailureAnalyzer<NoSuchBeanDefinitionException>
        implements Ordered {

    /** What the starter provides (directly, or through Boot's JDBC auto-configuration on its DataSource). */
    private static final Set<String> JDBC_TYPES = Set.of("javax.sql.DataSource",
            "org.springframework.jdbc.core.JdbcTemplate", "org.springframework.jdbc.core.JdbcOperations",
            "org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate",
            "org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations",
            "org.springframework.jdbc.core.simple.JdbcClient",
            "org.springframework.transaction.PlatformTransactionManager",
            "org.springframework.transaction.TransactionManager",
            "org.springframework.jdbc.support.JdbcTransactionManager",
            "org.springframework.jdbc.datasource.DataSourceTransactionManager",
            "org.springframework.transaction.support.TransactionTemplate",
            "io.github.sqlitepool.pool.SqlitePool", "io.github.sqlitepool.state.StateManager");

    private final Environment environment;

    private final ClassLoader classLoader;

    /** Spring Boot passes the failed context's environment and bean factory (whose class loader decides what is present). */
    SteppedAsideFailureAnalyzer(Environment environment, BeanFactory beanFactory) {
        this.environment = environment;
        ClassLoader beanClassLoader = beanFactory instanceof ConfigurableBeanFactory configurable
                ? configurable.getBeanClassLoader() : null;
        this.classLoader = beanClassLoader != null ? beanClassLoader : ClassUtils.getDefaultClassLoader();
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, NoSuchBeanDefinitionException cause) {
        Class<?> missing = cause.getBeanType();
        String url = environment.getProperty("spring.datasource.url");
        if (missing == null || !JDBC_TYPES.contains(missing.getName()) || url == null || url.isBlank()
                || url.startsWith(SqliteUrl.PREFIX)) {
            return null;
        }
        String description = "No " + missing.getSimpleName() + " bean: sqlite-pool stepped aside because"
                + " spring.datasource.url is '" + url + "', which is not a SQLite URL (those start with "
                + SqliteUrl.PREFIX + "), leaving the DataSource to Spring Boot's own auto-configuration, which"
                + " made none: " + whyBootMadeNone(url) + ".";
        return new FailureAnalysis(description, action(url), cause);
    }

    private String whyBootMadeNone(String url) {
        DatabaseDriver driver = DatabaseDriver.fromJdbcUrl(url);
        if (driver == DatabaseDriver.UNKNOWN) {
            return "no database Spring Boot knows uses that URL";
        }
        if (driver.getDriverClassName() != null && !ClassUtils.isPresent(driver.getDriverClassName(), classLoader)) {
            return "the " + driver.getId() + " driver (" + driver.getDriverClassName() + ") is not on the classpath";
        }
        if (DataSourceBuilder.findType(classLoader) == null) {
            return "no connection pool (such as HikariCP) is on the classpath";
        }
        return "its conditions did not match (run with --debug for the condition report)";
    }

    private String action(String url) {
        DatabaseDriver driver = DatabaseDriver.fromJdbcUrl(url);
        String forSqlite = "If the application is meant to use SQLite, correct spring.datasource.url to start with "
                + SqliteUrl.PREFIX + (looksLikeSqlite(url) ? " (it looks like a misspelling of it)" : "")
                + ", or remove it and set sqlite.pool.url.";
        String driverName = driver == DatabaseDriver.UNKNOWN ? "its" : "the " + driver.getId();
        return forSqlite + " If it is meant to use another database, add " + driverName
                + " JDBC driver and a connection pool (spring-boot-starter-jdbc brings HikariCP).";
    }

    private static boolean looksLikeSqlite(String url) {
        String scheme = url.toLowerCase(Locale.ROOT);
        int end = scheme.indexOf(':', "jdbc:".length());
        scheme = end < 0 ? scheme : scheme.substring(0, end);
        return scheme.contains("lite") || scheme.contains("sqli");
    }
}
