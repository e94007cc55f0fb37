package io.github.sqlitepool.state;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

/** Picks the {@link StateSql} for a data source from its JDBC metadata. */
public final class StateDialects {

    private StateDialects() {
    }

    /**
     * The dialect for {@code dataSource}'s database product.
     *
     * @throws StateException when the product is neither SQLite nor PostgreSQL (naming it), or
     *                        when no connection can be had to ask
     */
    public static StateSql detect(DataSource dataSource) {
        String product;
        try (Connection connection = dataSource.getConnection()) {
            product = connection.getMetaData().getDatabaseProductName();
        }
        catch (SQLException ex) {
            throw new StateException("Cannot tell which database the state manager's data source is: "
                    + ex.getMessage(), ex);
        }
        return forProduct(product);
    }

    /** The dialect for a JDBC database product name ({@code DatabaseMetaData.getDatabaseProductName()}). */
    public static StateSql forProduct(String product) {
        if ("SQLite".equalsIgnoreCase(product)) {
            return new SqliteStateSql();
        }
        if ("PostgreSQL".equalsIgnoreCase(product)) {
            return new PostgresStateSql();
        }
        throw new StateException("The state manager supports SQLite and PostgreSQL, but the data source is "
                + product + ": set sqlite.pool.state-manager.enabled=false, or give the StateManager a StateSql for "
                + product);
    }
}
