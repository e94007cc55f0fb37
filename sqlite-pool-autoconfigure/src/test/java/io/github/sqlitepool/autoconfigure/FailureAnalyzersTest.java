package io.github.sqlitepool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import io.github.sqlitepool.pool.PoolInitializationException;
import io.github.sqlitepool.pool.config.PoolConfigurationException;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

class FailureAnalyzersTest {

    @Test
    void aRejectedValueIsReportedByPropertyName() {
        PoolConfigurationException cause = new PoolConfigurationException("sqlite.pool.max-connections", 0,
                "must be at least 1");
        FailureAnalysis analysis = new PoolConfigurationFailureAnalyzer()
                .analyze(new BeanCreationException("dataSource", "failed", cause));
        assertThat(analysis.getDescription())
                .isEqualTo("Invalid sqlite-pool configuration: sqlite.pool.max-connections must be at least 1, was 0");
        assertThat(analysis.getAction()).contains("'sqlite.pool.max-connections'");
    }

    @Test
    void aPoolThatCannotStartIsReportedWithSqlitesReason() {
        PoolInitializationException cause = new PoolInitializationException("cannot start pool 'p' on jdbc:sqlite:x",
                new SQLException("file x is not a SQLite database"));
        FailureAnalysis analysis = new PoolInitializationFailureAnalyzer()
                .analyze(new BeanCreationException("dataSource", "failed", cause));
        assertThat(analysis.getDescription()).contains("is not a SQLite database").contains("cannot start pool 'p'");
        assertThat(analysis.getAction()).contains("sqlite.pool.url");
    }
}
