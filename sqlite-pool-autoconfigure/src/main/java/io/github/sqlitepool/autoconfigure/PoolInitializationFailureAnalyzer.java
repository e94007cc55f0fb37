package io.github.sqlitepool.autoconfigure;

import io.github.sqlitepool.pool.PoolInitializationException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports a pool that could not open its database at startup, with SQLite's reason. */
class PoolInitializationFailureAnalyzer extends AbstractFailureAnalyzer<PoolInitializationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, PoolInitializationException cause) {
        return new FailureAnalysis("The SQLite pool could not start: " + cause.getMessage(),
                "Check that sqlite.pool.url names a SQLite database file (or :memory:) in a directory the "
                        + "application can write to, and that no other program holds it exclusively.",
                cause);
    }
}
