package io.github.sqlitepool.pool;

import java.sql.ParameterMetaData;

import io.github.sqlitepool.jdbc.generator.GenerateDelegation;

/**
 * Parameter metadata handed out by a leased prepared statement; it stops working when the statement
 * closes. sqlite-jdbc answers it with its statement object itself, which a cached statement passes
 * on to the next lease. Every method checks with the statement, then delegates
 * ({@code GeneratedLeasedParameterMetaData}).
 */
@GenerateDelegation(guard = "checkUsable()")
abstract class LeasedParameterMetaData extends LeasedMetaData<ParameterMetaData> implements ParameterMetaData {

    LeasedParameterMetaData(LeaseBound owner, ParameterMetaData delegate) {
        super(owner, delegate);
    }
}
