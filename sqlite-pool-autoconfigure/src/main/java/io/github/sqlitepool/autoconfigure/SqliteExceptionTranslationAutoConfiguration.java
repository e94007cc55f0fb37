package io.github.sqlitepool.autoconfigure;

import javax.sql.DataSource;

import io.github.sqlitepool.jdbc.SqliteExceptionTranslator;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionManagerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.jdbc.support.SQLExceptionTranslator;

/**
 * Makes the {@code JdbcTemplate} (hence {@code NamedParameterJdbcTemplate} and {@code JdbcClient})
 * and the {@code JdbcTransactionManager} that Spring Boot creates translate SQLite's errors with
 * {@link SqliteExceptionTranslator}: Boot's {@code JdbcTemplate} takes a unique
 * {@link SQLExceptionTranslator} bean, and its transaction manager is customized. An
 * {@code SQLExceptionTranslator} bean of the application's own replaces this one. Errors that are
 * not SQLite's keep Spring's own translation, so this is harmless when the data source is another
 * database.
 */
@AutoConfiguration(after = { SqlitePoolAutoConfiguration.class, DataSourceAutoConfiguration.class },
        before = { JdbcTemplateAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class })
@ConditionalOnClass({ SQLExceptionTranslator.class, org.sqlite.SQLiteException.class })
@ConditionalOnSingleCandidate(DataSource.class)
public class SqliteExceptionTranslationAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(SQLExceptionTranslator.class)
    SqliteExceptionTranslator sqliteExceptionTranslator() {
        return new SqliteExceptionTranslator();
    }

    /** Boot's transaction manager translates commit and rollback failures too. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(TransactionManagerCustomizer.class)
    static class TransactionManagerTranslation {

        @Bean
        TransactionManagerCustomizer<JdbcTransactionManager> sqliteExceptionTranslatorCustomizer(
                SQLExceptionTranslator translator) {
            return transactionManager -> transactionManager.setExceptionTranslator(translator);
        }
    }
}
