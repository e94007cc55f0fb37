package io.github.sqlitepool.state;

/**
 * What every dialect holds the same way: its product name, where its migrations are, and how it
 * selects and orders stories. The statements that differ stay in the dialect classes.
 */
abstract class DialectStateSql implements StateSql {

    private final String productName;

    private final String migrationLocation;

    private final String columns;

    private final String oldestFirst;

    DialectStateSql(String productName, String migrationLocation, String columns, String oldestFirst) {
        this.productName = productName;
        this.migrationLocation = migrationLocation;
        this.columns = columns;
        this.oldestFirst = oldestFirst;
    }

    @Override
    public String databaseProductName() {
        return productName;
    }

    @Override
    public String migrationLocation() {
        return migrationLocation;
    }

    @Override
    public String selectColumns() {
        return columns;
    }

    @Override
    public String oldestFirst() {
        return oldestFirst;
    }
}
