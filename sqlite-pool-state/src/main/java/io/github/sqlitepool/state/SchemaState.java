package io.github.sqlitepool.state;

import static io.github.sqlitepool.state.StateOperations.run;

import java.util.function.Supplier;

import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What a manager knows about its schema in this process: whether it has migrated it, and how the
 * last migration failed while none has succeeded since. Migrates on the first use that needs the
 * schema, once however many threads ask, and again after a restore replaced the database.
 */
final class SchemaState {

    /**
     * Runs the migration outside the caller's transaction: a first use inside the application's
     * own transaction must not put DDL (or a {@code VACUUM INTO} backup) into it.
     */
    private final TransactionTemplate outsideTransactions;

    private final Supplier<StateMigrator> migrator;

    /** Whether {@link #migrate()} has brought the schema up to date, and no restore has replaced it since. */
    private volatile boolean migrated;

    /** How the last migration failed, while none has succeeded since; null otherwise. */
    private volatile String lastFailure;

    SchemaState(PlatformTransactionManager transactionManager, Supplier<StateMigrator> migrator) {
        this.outsideTransactions = new TransactionTemplate(transactionManager);
        this.outsideTransactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_NOT_SUPPORTED);
        this.migrator = migrator;
    }

    /**
     * Applies pending migrations, remembering a failure until a later migration succeeds (an
     * interrupt is the caller's, not the schema's, and is not remembered).
     */
    synchronized int migrate() {
        try {
            int version = run("migrate", () -> migrator.get().migrate());
            migrated = true;
            lastFailure = null;
            return version;
        }
        catch (StateOperationInterruptedException ex) {
            throw ex;
        }
        catch (RuntimeException ex) {
            lastFailure = ex.getClass().getSimpleName() + ": " + ex.getMessage();
            throw ex;
        }
    }

    /** Migrates once, on the first operation that needs the schema; a failed migration is retried next time. */
    void ensureMigrated() {
        if (!migrated) {
            synchronized (this) {
                if (!migrated) {
                    boolean inCallersTransaction = TransactionSynchronizationManager.isActualTransactionActive();
                    try {
                        outsideTransactions.executeWithoutResult(status -> migrate());
                    }
                    catch (StateMigrationException ex) {
                        if (!inCallersTransaction) {
                            throw ex;
                        }
                        throw new StateMigrationException("The StateManager migrates its schema on first use, which"
                                + " was inside a transaction of this thread, outside of which the migration could"
                                + " not run (" + ex.getMessage() + "). Migrate before that transaction: set"
                                + " sqlite.pool.state-manager.migrate-on-startup=true, or call migrate() first.", ex);
                    }
                }
            }
        }
    }

    /**
     * The database was replaced (restored from a backup, perhaps of an older schema): the next
     * operation that needs the schema checks and migrates it again.
     */
    void databaseReplaced() {
        migrated = false;
    }

    boolean isMigrated() {
        return migrated;
    }

    /** How the last migration failed, or null when none has failed since the last that succeeded. */
    String lastFailure() {
        return lastFailure;
    }

    /** Runs {@code work} outside the caller's transaction (suspending it), as the migration runs. */
    <T> T outsideTransaction(Supplier<T> work) {
        return outsideTransactions.execute(status -> work.get());
    }
}
