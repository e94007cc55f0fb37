package io.github.sqlitepool.autoconfigure;

import io.github.sqlitepool.pool.config.PoolConfigurationException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a rejected {@code sqlite.pool.*} value into a startup report that names it. */
class PoolConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<PoolConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, PoolConfigurationException cause) {
        return new FailureAnalysis("Invalid sqlite-pool configuration: " + cause.getMessage(),
                "Correct the value of '" + cause.getProperty() + "' in your configuration "
                        + "(see the README's property table for what each sqlite.pool.* property accepts).",
                cause);
    }
}
