package io.github.sqlitepool.pool;

import java.sql.ResultSetMetaData;

import io.github.sqlitepool.jdbc.generator.GenerateDelegation;

/**
 * Column metadata handed out by a leased statement or result set; it stops working with its owner.
 * sqlite-jdbc answers metadata with its own result set object, which a cached statement passes on
 * to the next lease, so the driver's object must not outlive the caller's statement. Every method
 * checks with the owner, then delegates ({@code GeneratedLeasedResultSetMetaData}).
 */
@GenerateDelegation(guard = "checkUsable()")
abstract class LeasedResultSetMetaData extends LeasedMetaData<ResultSetMetaData> implements ResultSetMetaData {

    LeasedResultSetMetaData(LeaseBound owner, ResultSetMetaData delegate) {
        super(owner, delegate);
    }
}
