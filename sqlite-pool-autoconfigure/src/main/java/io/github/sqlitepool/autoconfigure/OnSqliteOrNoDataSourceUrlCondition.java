package io.github.sqlitepool.autoconfigure;

import io.github.sqlitepool.pool.config.SqliteUrl;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches unless {@code spring.datasource.url} names a database other than SQLite: an
 * application pointed at PostgreSQL, say, keeps Spring Boot's own data source.
 */
class OnSqliteOrNoDataSourceUrlCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        String url = context.getEnvironment().getProperty("spring.datasource.url");
        if (url == null || url.isBlank()) {
            return ConditionOutcome.match("spring.datasource.url is not set");
        }
        if (url.startsWith(SqliteUrl.PREFIX)) {
            return ConditionOutcome.match("spring.datasource.url is a SQLite URL");
        }
        return ConditionOutcome.noMatch("spring.datasource.url names another database");
    }
}
