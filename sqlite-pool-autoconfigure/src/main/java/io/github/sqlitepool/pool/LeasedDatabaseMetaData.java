package io.github.sqlitepool.pool;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.RowIdLifetime;
import java.sql.SQLException;

/**
 * The database metadata of a lease. sqlite-jdbc's own answers {@link #getConnection()} with the
 * pooled connection, which would let a caller run SQL past the lease (and its write lane), and it
 * runs its queries on that connection, which serves another lease once this one is closed. This
 * one answers the lease, works only while the lease is open, and hands out result sets whose
 * {@code getStatement()} is null, as JDBC allows for metadata results.
 */
final class LeasedDatabaseMetaData implements DatabaseMetaData {

    private final ConnectionLease lease;

    private final DatabaseMetaData delegate;

    LeasedDatabaseMetaData(ConnectionLease lease, DatabaseMetaData delegate) {
        this.lease = lease;
        this.delegate = delegate;
    }

    private void checkUsable() throws SQLException {
        lease.checkOpen();
    }

    private static ResultSet results(ResultSet driverResults) {
        return driverResults == null ? null : new LeasedResultSet(null, driverResults);
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        checkUsable();
        return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || delegate.isWrapperFor(iface);
    }

    @Override
    public boolean allProceduresAreCallable() throws SQLException {
        checkUsable();
        return delegate.allProceduresAreCallable();
    }

    @Override
    public boolean allTablesAreSelectable() throws SQLException {
        checkUsable();
        return delegate.allTablesAreSelectable();
    }

    @Override
    public boolean autoCommitFailureClosesAllResultSets() throws SQLException {
        checkUsable();
        return delegate.autoCommitFailureClosesAllResultSets();
    }

    @Override
    public boolean dataDefinitionCausesTransactionCommit() throws SQLException {
        checkUsable();
        return delegate.dataDefinitionCausesTransactionCommit();
    }

    @Override
    public boolean dataDefinitionIgnoredInTransactions() throws SQLException {
        checkUsable();
        return delegate.dataDefinitionIgnoredInTransactions();
    }

    @Override
    public boolean deletesAreDetected(int arg) throws SQLException {
        checkUsable();
        return delegate.deletesAreDetected(arg);
    }

    @Override
    public boolean doesMaxRowSizeIncludeBlobs() throws SQLException {
        checkUsable();
        return delegate.doesMaxRowSizeIncludeBlobs();
    }

    @Override
    public boolean generatedKeyAlwaysReturned() throws SQLException {
        checkUsable();
        return delegate.generatedKeyAlwaysReturned();
    }

    @Override
    public ResultSet getAttributes(String arg1, String arg2, String arg3, String arg4) throws SQLException {
        checkUsable();
        return results(delegate.getAttributes(arg1, arg2, arg3, arg4));
    }

    @Override
    public ResultSet getBestRowIdentifier(String arg1, String arg2, String arg3, int arg4, boolean arg5) throws SQLException {
        checkUsable();
        return results(delegate.getBestRowIdentifier(arg1, arg2, arg3, arg4, arg5));
    }

    @Override
    public String getCatalogSeparator() throws SQLException {
        checkUsable();
        return delegate.getCatalogSeparator();
    }

    @Override
    public String getCatalogTerm() throws SQLException {
        checkUsable();
        return delegate.getCatalogTerm();
    }

    @Override
    public ResultSet getCatalogs() throws SQLException {
        checkUsable();
        return results(delegate.getCatalogs());
    }

    @Override
    public ResultSet getClientInfoProperties() throws SQLException {
        checkUsable();
        return results(delegate.getClientInfoProperties());
    }

    @Override
    public ResultSet getColumnPrivileges(String arg1, String arg2, String arg3, String arg4) throws SQLException {
        checkUsable();
        return results(delegate.getColumnPrivileges(arg1, arg2, arg3, arg4));
    }

    @Override
    public ResultSet getColumns(String arg1, String arg2, String arg3, String arg4) throws SQLException {
        checkUsable();
        return results(delegate.getColumns(arg1, arg2, arg3, arg4));
    }

    @Override
    public Connection getConnection() throws SQLException {
        checkUsable();
        return lease;
    }

    @Override
    public ResultSet getCrossReference(String arg1, String arg2, String arg3, String arg4, String arg5, String arg6) throws SQLException {
        checkUsable();
        return results(delegate.getCrossReference(arg1, arg2, arg3, arg4, arg5, arg6));
    }

    @Override
    public int getDatabaseMajorVersion() throws SQLException {
        checkUsable();
        return delegate.getDatabaseMajorVersion();
    }

    @Override
    public int getDatabaseMinorVersion() throws SQLException {
        checkUsable();
        return delegate.getDatabaseMinorVersion();
    }

    @Override
    public String getDatabaseProductName() throws SQLException {
        checkUsable();
        return delegate.getDatabaseProductName();
    }

    @Override
    public String getDatabaseProductVersion() throws SQLException {
        checkUsable();
        return delegate.getDatabaseProductVersion();
    }

    @Override
    public int getDefaultTransactionIsolation() throws SQLException {
        checkUsable();
        return delegate.getDefaultTransactionIsolation();
    }

    @Override
    public int getDriverMajorVersion() {
        return delegate.getDriverMajorVersion(); // the driver's version: nothing to check
    }

    @Override
    public int getDriverMinorVersion() {
        return delegate.getDriverMinorVersion(); // the driver's version: nothing to check
    }

    @Override
    public String getDriverName() throws SQLException {
        checkUsable();
        return delegate.getDriverName();
    }

    @Override
    public String getDriverVersion() throws SQLException {
        checkUsable();
        return delegate.getDriverVersion();
    }

    @Override
    public ResultSet getExportedKeys(String arg1, String arg2, String arg3) throws SQLException {
        checkUsable();
        return results(delegate.getExportedKeys(arg1, arg2, arg3));
    }

    @Override
    public String getExtraNameCharacters() throws SQLException {
        checkUsable();
        return delegate.getExtraNameCharacters();
    }

    @Override
    public ResultSet getFunctionColumns(String arg1, String arg2, String arg3, String arg4) throws SQLException {
        checkUsable();
        return results(delegate.getFunctionColumns(arg1, arg2, arg3, arg4));
    }

    @Override
    public ResultSet getFunctions(String arg1, String arg2, String arg3) throws SQLException {
        checkUsable();
        return results(delegate.getFunctions(arg1, arg2, arg3));
    }

    @Override
    public String getIdentifierQuoteString() throws SQLException {
        checkUsable();
        return delegate.getIdentifierQuoteString();
    }

    @Override
    public ResultSet getImportedKeys(String arg1, String arg2, String arg3) throws SQLException {
        checkUsable();
        return results(delegate.getImportedKeys(arg1, arg2, arg3));
    }

    @Override
    public ResultSet getIndexInfo(String arg1, String arg2, String arg3, boolean arg4, boolean arg5) throws SQLException {
        checkUsable();
        return results(delegate.getIndexInfo(arg1, arg2, arg3, arg4, arg5));
    }

    @Override
    public int getJDBCMajorVersion() throws SQLException {
        checkUsable();
        return delegate.getJDBCMajorVersion();
    }

    @Override
    public int getJDBCMinorVersion() throws SQLException {
        checkUsable();
        return delegate.getJDBCMinorVersion();
    }

    @Override
    public int getMaxBinaryLiteralLength() throws SQLException {
        checkUsable();
        return delegate.getMaxBinaryLiteralLength();
    }

    @Override
    public int getMaxCatalogNameLength() throws SQLException {
        checkUsable();
        return delegate.getMaxCatalogNameLength();
    }

    @Override
    public int getMaxCharLiteralLength() throws SQLException {
        checkUsable();
        return delegate.getMaxCharLiteralLength();
    }

    @Override
    public int getMaxColumnNameLength() throws SQLException {
        checkUsable();
        return delegate.getMaxColumnNameLength();
    }

    @Override
    public int getMaxColumnsInGroupBy() throws SQLException {
        checkUsable();
        return delegate.getMaxColumnsInGroupBy();
    }

    @Override
    public int getMaxColumnsInIndex() throws SQLException {
        checkUsable();
        return delegate.getMaxColumnsInIndex();
    }

    @Override
    public int getMaxColumnsInOrderBy() throws SQLException {
        checkUsable();
        return delegate.getMaxColumnsInOrderBy();
    }

    @Override
    public int getMaxColumnsInSelect() throws SQLException {
        checkUsable();
        return delegate.getMaxColumnsInSelect();
    }

    @Override
    public int getMaxColumnsInTable() throws SQLException {
        checkUsable();
        return delegate.getMaxColumnsInTable();
    }

    @Override
    public int getMaxConnections() throws SQLException {
        checkUsable();
        return delegate.getMaxConnections();
    }

    @Override
    public int getMaxCursorNameLength() throws SQLException {
        checkUsable();
        return delegate.getMaxCursorNameLength();
    }

    @Override
    public int getMaxIndexLength() throws SQLException {
        checkUsable();
        return delegate.getMaxIndexLength();
    }

    @Override
    public long getMaxLogicalLobSize() throws SQLException {
        checkUsable();
        return delegate.getMaxLogicalLobSize();
    }

    @Override
    public int getMaxProcedureNameLength() throws SQLException {
        checkUsable();
        return delegate.getMaxProcedureNameLength();
    }

    @Override
    public int getMaxRowSize() throws SQLException {
        checkUsable();
        return delegate.getMaxRowSize();
    }

    @Override
    public int getMaxSchemaNameLength() throws SQLException {
        checkUsable();
        return delegate.getMaxSchemaNameLength();
    }

    @Override
    public int getMaxStatementLength() throws SQLException {
        checkUsable();
        return delegate.getMaxStatementLength();
    }

    @Override
    public int getMaxStatements() throws SQLException {
        checkUsable();
        return delegate.getMaxStatements();
    }

    @Override
    public int getMaxTableNameLength() throws SQLException {
        checkUsable();
        return delegate.getMaxTableNameLength();
    }

    @Override
    public int getMaxTablesInSelect() throws SQLException {
        checkUsable();
        return delegate.getMaxTablesInSelect();
    }

    @Override
    public int getMaxUserNameLength() throws SQLException {
        checkUsable();
        return delegate.getMaxUserNameLength();
    }

    @Override
    public String getNumericFunctions() throws SQLException {
        checkUsable();
        return delegate.getNumericFunctions();
    }

    @Override
    public ResultSet getPrimaryKeys(String arg1, String arg2, String arg3) throws SQLException {
        checkUsable();
        return results(delegate.getPrimaryKeys(arg1, arg2, arg3));
    }

    @Override
    public ResultSet getProcedureColumns(String arg1, String arg2, String arg3, String arg4) throws SQLException {
        checkUsable();
        return results(delegate.getProcedureColumns(arg1, arg2, arg3, arg4));
    }

    @Override
    public String getProcedureTerm() throws SQLException {
        checkUsable();
        return delegate.getProcedureTerm();
    }

    @Override
    public ResultSet getProcedures(String arg1, String arg2, String arg3) throws SQLException {
        checkUsable();
        return results(delegate.getProcedures(arg1, arg2, arg3));
    }

    @Override
    public ResultSet getPseudoColumns(String arg1, String arg2, String arg3, String arg4) throws SQLException {
        checkUsable();
        return results(delegate.getPseudoColumns(arg1, arg2, arg3, arg4));
    }

    @Override
    public int getResultSetHoldability() throws SQLException {
        checkUsable();
        return delegate.getResultSetHoldability();
    }

    @Override
    public RowIdLifetime getRowIdLifetime() throws SQLException {
        checkUsable();
        return delegate.getRowIdLifetime();
    }

    @Override
    public String getSQLKeywords() throws SQLException {
        checkUsable();
        return delegate.getSQLKeywords();
    }

    @Override
    public int getSQLStateType() throws SQLException {
        checkUsable();
        return delegate.getSQLStateType();
    }

    @Override
    public String getSchemaTerm() throws SQLException {
        checkUsable();
        return delegate.getSchemaTerm();
    }

    @Override
    public ResultSet getSchemas() throws SQLException {
        checkUsable();
        return results(delegate.getSchemas());
    }

    @Override
    public ResultSet getSchemas(String arg1, String arg2) throws SQLException {
        checkUsable();
        return results(delegate.getSchemas(arg1, arg2));
    }

    @Override
    public String getSearchStringEscape() throws SQLException {
        checkUsable();
        return delegate.getSearchStringEscape();
    }

    @Override
    public String getStringFunctions() throws SQLException {
        checkUsable();
        return delegate.getStringFunctions();
    }

    @Override
    public ResultSet getSuperTables(String arg1, String arg2, String arg3) throws SQLException {
        checkUsable();
        return results(delegate.getSuperTables(arg1, arg2, arg3));
    }

    @Override
    public ResultSet getSuperTypes(String arg1, String arg2, String arg3) throws SQLException {
        checkUsable();
        return results(delegate.getSuperTypes(arg1, arg2, arg3));
    }

    @Override
    public String getSystemFunctions() throws SQLException {
        checkUsable();
        return delegate.getSystemFunctions();
    }

    @Override
    public ResultSet getTablePrivileges(String arg1, String arg2, String arg3) throws SQLException {
        checkUsable();
        return results(delegate.getTablePrivileges(arg1, arg2, arg3));
    }

    @Override
    public ResultSet getTableTypes() throws SQLException {
        checkUsable();
        return results(delegate.getTableTypes());
    }

    @Override
    public ResultSet getTables(String arg1, String arg2, String arg3, String[] arg4) throws SQLException {
        checkUsable();
        return results(delegate.getTables(arg1, arg2, arg3, arg4));
    }

    @Override
    public String getTimeDateFunctions() throws SQLException {
        checkUsable();
        return delegate.getTimeDateFunctions();
    }

    @Override
    public ResultSet getTypeInfo() throws SQLException {
        checkUsable();
        return results(delegate.getTypeInfo());
    }

    @Override
    public ResultSet getUDTs(String arg1, String arg2, String arg3, int[] arg4) throws SQLException {
        checkUsable();
        return results(delegate.getUDTs(arg1, arg2, arg3, arg4));
    }

    @Override
    public String getURL() throws SQLException {
        checkUsable();
        return delegate.getURL();
    }

    @Override
    public String getUserName() throws SQLException {
        checkUsable();
        return delegate.getUserName();
    }

    @Override
    public ResultSet getVersionColumns(String arg1, String arg2, String arg3) throws SQLException {
        checkUsable();
        return results(delegate.getVersionColumns(arg1, arg2, arg3));
    }

    @Override
    public boolean insertsAreDetected(int arg) throws SQLException {
        checkUsable();
        return delegate.insertsAreDetected(arg);
    }

    @Override
    public boolean isCatalogAtStart() throws SQLException {
        checkUsable();
        return delegate.isCatalogAtStart();
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        checkUsable();
        return delegate.isReadOnly();
    }

    @Override
    public boolean locatorsUpdateCopy() throws SQLException {
        checkUsable();
        return delegate.locatorsUpdateCopy();
    }

    @Override
    public boolean nullPlusNonNullIsNull() throws SQLException {
        checkUsable();
        return delegate.nullPlusNonNullIsNull();
    }

    @Override
    public boolean nullsAreSortedAtEnd() throws SQLException {
        checkUsable();
        return delegate.nullsAreSortedAtEnd();
    }

    @Override
    public boolean nullsAreSortedAtStart() throws SQLException {
        checkUsable();
        return delegate.nullsAreSortedAtStart();
    }

    @Override
    public boolean nullsAreSortedHigh() throws SQLException {
        checkUsable();
        return delegate.nullsAreSortedHigh();
    }

    @Override
    public boolean nullsAreSortedLow() throws SQLException {
        checkUsable();
        return delegate.nullsAreSortedLow();
    }

    @Override
    public boolean othersDeletesAreVisible(int arg) throws SQLException {
        checkUsable();
        return delegate.othersDeletesAreVisible(arg);
    }

    @Override
    public boolean othersInsertsAreVisible(int arg) throws SQLException {
        checkUsable();
        return delegate.othersInsertsAreVisible(arg);
    }

    @Override
    public boolean othersUpdatesAreVisible(int arg) throws SQLException {
        checkUsable();
        return delegate.othersUpdatesAreVisible(arg);
    }

    @Override
    public boolean ownDeletesAreVisible(int arg) throws SQLException {
        checkUsable();
        return delegate.ownDeletesAreVisible(arg);
    }

    @Override
    public boolean ownInsertsAreVisible(int arg) throws SQLException {
        checkUsable();
        return delegate.ownInsertsAreVisible(arg);
    }

    @Override
    public boolean ownUpdatesAreVisible(int arg) throws SQLException {
        checkUsable();
        return delegate.ownUpdatesAreVisible(arg);
    }

    @Override
    public boolean storesLowerCaseIdentifiers() throws SQLException {
        checkUsable();
        return delegate.storesLowerCaseIdentifiers();
    }

    @Override
    public boolean storesLowerCaseQuotedIdentifiers() throws SQLException {
        checkUsable();
        return delegate.storesLowerCaseQuotedIdentifiers();
    }

    @Override
    public boolean storesMixedCaseIdentifiers() throws SQLException {
        checkUsable();
        return delegate.storesMixedCaseIdentifiers();
    }

    @Override
    public boolean storesMixedCaseQuotedIdentifiers() throws SQLException {
        checkUsable();
        return delegate.storesMixedCaseQuotedIdentifiers();
    }

    @Override
    public boolean storesUpperCaseIdentifiers() throws SQLException {
        checkUsable();
        return delegate.storesUpperCaseIdentifiers();
    }

    @Override
    public boolean storesUpperCaseQuotedIdentifiers() throws SQLException {
        checkUsable();
        return delegate.storesUpperCaseQuotedIdentifiers();
    }

    @Override
    public boolean supportsANSI92EntryLevelSQL() throws SQLException {
        checkUsable();
        return delegate.supportsANSI92EntryLevelSQL();
    }

    @Override
    public boolean supportsANSI92FullSQL() throws SQLException {
        checkUsable();
        return delegate.supportsANSI92FullSQL();
    }

    @Override
    public boolean supportsANSI92IntermediateSQL() throws SQLException {
        checkUsable();
        return delegate.supportsANSI92IntermediateSQL();
    }

    @Override
    public boolean supportsAlterTableWithAddColumn() throws SQLException {
        checkUsable();
        return delegate.supportsAlterTableWithAddColumn();
    }

    @Override
    public boolean supportsAlterTableWithDropColumn() throws SQLException {
        checkUsable();
        return delegate.supportsAlterTableWithDropColumn();
    }

    @Override
    public boolean supportsBatchUpdates() throws SQLException {
        checkUsable();
        return delegate.supportsBatchUpdates();
    }

    @Override
    public boolean supportsCatalogsInDataManipulation() throws SQLException {
        checkUsable();
        return delegate.supportsCatalogsInDataManipulation();
    }

    @Override
    public boolean supportsCatalogsInIndexDefinitions() throws SQLException {
        checkUsable();
        return delegate.supportsCatalogsInIndexDefinitions();
    }

    @Override
    public boolean supportsCatalogsInPrivilegeDefinitions() throws SQLException {
        checkUsable();
        return delegate.supportsCatalogsInPrivilegeDefinitions();
    }

    @Override
    public boolean supportsCatalogsInProcedureCalls() throws SQLException {
        checkUsable();
        return delegate.supportsCatalogsInProcedureCalls();
    }

    @Override
    public boolean supportsCatalogsInTableDefinitions() throws SQLException {
        checkUsable();
        return delegate.supportsCatalogsInTableDefinitions();
    }

    @Override
    public boolean supportsColumnAliasing() throws SQLException {
        checkUsable();
        return delegate.supportsColumnAliasing();
    }

    @Override
    public boolean supportsConvert() throws SQLException {
        checkUsable();
        return delegate.supportsConvert();
    }

    @Override
    public boolean supportsConvert(int arg1, int arg2) throws SQLException {
        checkUsable();
        return delegate.supportsConvert(arg1, arg2);
    }

    @Override
    public boolean supportsCoreSQLGrammar() throws SQLException {
        checkUsable();
        return delegate.supportsCoreSQLGrammar();
    }

    @Override
    public boolean supportsCorrelatedSubqueries() throws SQLException {
        checkUsable();
        return delegate.supportsCorrelatedSubqueries();
    }

    @Override
    public boolean supportsDataDefinitionAndDataManipulationTransactions() throws SQLException {
        checkUsable();
        return delegate.supportsDataDefinitionAndDataManipulationTransactions();
    }

    @Override
    public boolean supportsDataManipulationTransactionsOnly() throws SQLException {
        checkUsable();
        return delegate.supportsDataManipulationTransactionsOnly();
    }

    @Override
    public boolean supportsDifferentTableCorrelationNames() throws SQLException {
        checkUsable();
        return delegate.supportsDifferentTableCorrelationNames();
    }

    @Override
    public boolean supportsExpressionsInOrderBy() throws SQLException {
        checkUsable();
        return delegate.supportsExpressionsInOrderBy();
    }

    @Override
    public boolean supportsExtendedSQLGrammar() throws SQLException {
        checkUsable();
        return delegate.supportsExtendedSQLGrammar();
    }

    @Override
    public boolean supportsFullOuterJoins() throws SQLException {
        checkUsable();
        return delegate.supportsFullOuterJoins();
    }

    @Override
    public boolean supportsGetGeneratedKeys() throws SQLException {
        checkUsable();
        return delegate.supportsGetGeneratedKeys();
    }

    @Override
    public boolean supportsGroupBy() throws SQLException {
        checkUsable();
        return delegate.supportsGroupBy();
    }

    @Override
    public boolean supportsGroupByBeyondSelect() throws SQLException {
        checkUsable();
        return delegate.supportsGroupByBeyondSelect();
    }

    @Override
    public boolean supportsGroupByUnrelated() throws SQLException {
        checkUsable();
        return delegate.supportsGroupByUnrelated();
    }

    @Override
    public boolean supportsIntegrityEnhancementFacility() throws SQLException {
        checkUsable();
        return delegate.supportsIntegrityEnhancementFacility();
    }

    @Override
    public boolean supportsLikeEscapeClause() throws SQLException {
        checkUsable();
        return delegate.supportsLikeEscapeClause();
    }

    @Override
    public boolean supportsLimitedOuterJoins() throws SQLException {
        checkUsable();
        return delegate.supportsLimitedOuterJoins();
    }

    @Override
    public boolean supportsMinimumSQLGrammar() throws SQLException {
        checkUsable();
        return delegate.supportsMinimumSQLGrammar();
    }

    @Override
    public boolean supportsMixedCaseIdentifiers() throws SQLException {
        checkUsable();
        return delegate.supportsMixedCaseIdentifiers();
    }

    @Override
    public boolean supportsMixedCaseQuotedIdentifiers() throws SQLException {
        checkUsable();
        return delegate.supportsMixedCaseQuotedIdentifiers();
    }

    @Override
    public boolean supportsMultipleOpenResults() throws SQLException {
        checkUsable();
        return delegate.supportsMultipleOpenResults();
    }

    @Override
    public boolean supportsMultipleResultSets() throws SQLException {
        checkUsable();
        return delegate.supportsMultipleResultSets();
    }

    @Override
    public boolean supportsMultipleTransactions() throws SQLException {
        checkUsable();
        return delegate.supportsMultipleTransactions();
    }

    @Override
    public boolean supportsNamedParameters() throws SQLException {
        checkUsable();
        return delegate.supportsNamedParameters();
    }

    @Override
    public boolean supportsNonNullableColumns() throws SQLException {
        checkUsable();
        return delegate.supportsNonNullableColumns();
    }

    @Override
    public boolean supportsOpenCursorsAcrossCommit() throws SQLException {
        checkUsable();
        return delegate.supportsOpenCursorsAcrossCommit();
    }

    @Override
    public boolean supportsOpenCursorsAcrossRollback() throws SQLException {
        checkUsable();
        return delegate.supportsOpenCursorsAcrossRollback();
    }

    @Override
    public boolean supportsOpenStatementsAcrossCommit() throws SQLException {
        checkUsable();
        return delegate.supportsOpenStatementsAcrossCommit();
    }

    @Override
    public boolean supportsOpenStatementsAcrossRollback() throws SQLException {
        checkUsable();
        return delegate.supportsOpenStatementsAcrossRollback();
    }

    @Override
    public boolean supportsOrderByUnrelated() throws SQLException {
        checkUsable();
        return delegate.supportsOrderByUnrelated();
    }

    @Override
    public boolean supportsOuterJoins() throws SQLException {
        checkUsable();
        return delegate.supportsOuterJoins();
    }

    @Override
    public boolean supportsPositionedDelete() throws SQLException {
        checkUsable();
        return delegate.supportsPositionedDelete();
    }

    @Override
    public boolean supportsPositionedUpdate() throws SQLException {
        checkUsable();
        return delegate.supportsPositionedUpdate();
    }

    @Override
    public boolean supportsRefCursors() throws SQLException {
        checkUsable();
        return delegate.supportsRefCursors();
    }

    @Override
    public boolean supportsResultSetConcurrency(int arg1, int arg2) throws SQLException {
        checkUsable();
        return delegate.supportsResultSetConcurrency(arg1, arg2);
    }

    @Override
    public boolean supportsResultSetHoldability(int arg) throws SQLException {
        checkUsable();
        return delegate.supportsResultSetHoldability(arg);
    }

    @Override
    public boolean supportsResultSetType(int arg) throws SQLException {
        checkUsable();
        return delegate.supportsResultSetType(arg);
    }

    @Override
    public boolean supportsSavepoints() throws SQLException {
        checkUsable();
        return delegate.supportsSavepoints();
    }

    @Override
    public boolean supportsSchemasInDataManipulation() throws SQLException {
        checkUsable();
        return delegate.supportsSchemasInDataManipulation();
    }

    @Override
    public boolean supportsSchemasInIndexDefinitions() throws SQLException {
        checkUsable();
        return delegate.supportsSchemasInIndexDefinitions();
    }

    @Override
    public boolean supportsSchemasInPrivilegeDefinitions() throws SQLException {
        checkUsable();
        return delegate.supportsSchemasInPrivilegeDefinitions();
    }

    @Override
    public boolean supportsSchemasInProcedureCalls() throws SQLException {
        checkUsable();
        return delegate.supportsSchemasInProcedureCalls();
    }

    @Override
    public boolean supportsSchemasInTableDefinitions() throws SQLException {
        checkUsable();
        return delegate.supportsSchemasInTableDefinitions();
    }

    @Override
    public boolean supportsSelectForUpdate() throws SQLException {
        checkUsable();
        return delegate.supportsSelectForUpdate();
    }

    @Override
    public boolean supportsSharding() throws SQLException {
        checkUsable();
        return delegate.supportsSharding();
    }

    @Override
    public boolean supportsStatementPooling() throws SQLException {
        checkUsable();
        return delegate.supportsStatementPooling();
    }

    @Override
    public boolean supportsStoredFunctionsUsingCallSyntax() throws SQLException {
        checkUsable();
        return delegate.supportsStoredFunctionsUsingCallSyntax();
    }

    @Override
    public boolean supportsStoredProcedures() throws SQLException {
        checkUsable();
        return delegate.supportsStoredProcedures();
    }

    @Override
    public boolean supportsSubqueriesInComparisons() throws SQLException {
        checkUsable();
        return delegate.supportsSubqueriesInComparisons();
    }

    @Override
    public boolean supportsSubqueriesInExists() throws SQLException {
        checkUsable();
        return delegate.supportsSubqueriesInExists();
    }

    @Override
    public boolean supportsSubqueriesInIns() throws SQLException {
        checkUsable();
        return delegate.supportsSubqueriesInIns();
    }

    @Override
    public boolean supportsSubqueriesInQuantifieds() throws SQLException {
        checkUsable();
        return delegate.supportsSubqueriesInQuantifieds();
    }

    @Override
    public boolean supportsTableCorrelationNames() throws SQLException {
        checkUsable();
        return delegate.supportsTableCorrelationNames();
    }

    @Override
    public boolean supportsTransactionIsolationLevel(int arg) throws SQLException {
        checkUsable();
        return delegate.supportsTransactionIsolationLevel(arg);
    }

    @Override
    public boolean supportsTransactions() throws SQLException {
        checkUsable();
        return delegate.supportsTransactions();
    }

    @Override
    public boolean supportsUnion() throws SQLException {
        checkUsable();
        return delegate.supportsUnion();
    }

    @Override
    public boolean supportsUnionAll() throws SQLException {
        checkUsable();
        return delegate.supportsUnionAll();
    }

    @Override
    public boolean updatesAreDetected(int arg) throws SQLException {
        checkUsable();
        return delegate.updatesAreDetected(arg);
    }

    @Override
    public boolean usesLocalFilePerTable() throws SQLException {
        checkUsable();
        return delegate.usesLocalFilePerTable();
    }

    @Override
    public boolean usesLocalFiles() throws SQLException {
        checkUsable();
        return delegate.usesLocalFiles();
    }
}
