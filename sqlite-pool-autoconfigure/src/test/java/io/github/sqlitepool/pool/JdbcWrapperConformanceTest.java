package io.github.sqlitepool.pool;

import static io.github.sqlitepool.pool.PoolFixtures.execute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every method of the JDBC interfaces the pool hands out is implemented by the pool's wrapper
 * (hand-written in the abstract class or generated into its {@code Generated*} subclass, never
 * left to a default or to the driver's object) and, once its owner is closed, runs its guard: it
 * throws {@link SQLException}. The few methods JDBC allows on a closed object are listed below,
 * each with its reason. JDBC's default methods are left alone (they call the abstract ones).
 */
class JdbcWrapperConformanceTest {

    /** Methods that answer without throwing after close, by interface, each with the reason. */
    private static final Map<Class<?>, Map<String, String>> HARMLESS_AFTER_CLOSE = Map.of(
            Connection.class, Map.of(
                    "close", "JDBC: closing a closed connection is a no-op",
                    "isClosed", "JDBC: the way to ask",
                    "isValid", "JDBC: false on a closed connection",
                    "abort", "JDBC: a no-op on a closed connection"),
            Statement.class, Map.of(
                    "close", "JDBC: closing a closed statement is a no-op",
                    "isClosed", "JDBC: the way to ask",
                    "getConnection", "answers the lease it came from, which is itself closed (reaches no driver object)"),
            ResultSet.class, Map.of(
                    "close", "JDBC: closing a closed result set is a no-op",
                    "isClosed", "JDBC: the way to ask",
                    "isWrapperFor", "answers from types alone; touches no rows"),
            DatabaseMetaData.class, Map.of(
                    "isWrapperFor", "answers from types alone",
                    "getDriverMajorVersion", "the driver's version: no connection needed, and no SQLException declared",
                    "getDriverMinorVersion", "the driver's version: no connection needed, and no SQLException declared"),
            ResultSetMetaData.class, Map.of("isWrapperFor", "answers from types alone"),
            ParameterMetaData.class, Map.of("isWrapperFor", "answers from types alone"));

    @TempDir
    Path dir;

    private SqlitePool pool;

    @BeforeEach
    void openPool() throws SQLException {
        pool = PoolFixtures.pool(dir, 2);
        try (Connection lease = pool.getConnection()) {
            execute(lease, "CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT)");
            execute(lease, "INSERT INTO items(name) VALUES ('one')");
        }
    }

    @AfterEach
    void closePool() {
        pool.close();
    }

    @Test
    void connectionMethodsAreImplementedAndFailOnceTheLeaseIsClosed() throws Exception {
        Connection lease = pool.getConnection();
        lease.close();
        assertConforms(Connection.class, lease, HARMLESS_AFTER_CLOSE.get(Connection.class));
    }

    @Test
    void statementMethodsAreImplementedAndFailOnceClosed() throws Exception {
        try (Connection lease = pool.getConnection()) {
            Statement statement = lease.createStatement();
            statement.close();
            assertConforms(Statement.class, statement, HARMLESS_AFTER_CLOSE.get(Statement.class));
        }
    }

    @Test
    void preparedStatementMethodsAreImplementedAndFailOnceClosed() throws Exception {
        try (Connection lease = pool.getConnection()) {
            PreparedStatement statement = lease.prepareStatement("SELECT name FROM items WHERE id = ?");
            statement.close();
            assertConforms(PreparedStatement.class, statement, HARMLESS_AFTER_CLOSE.get(Statement.class));
        }
    }

    @Test
    void statementsFailOnceTheirLeaseIsClosed() throws Exception {
        Connection lease = pool.getConnection();
        PreparedStatement statement = lease.prepareStatement("SELECT name FROM items WHERE id = ?");
        lease.close();
        assertConforms(PreparedStatement.class, statement, HARMLESS_AFTER_CLOSE.get(Statement.class));
    }

    @Test
    void resultSetMethodsAreImplementedAndFailOnceClosed() throws Exception {
        try (Connection lease = pool.getConnection(); Statement statement = lease.createStatement()) {
            ResultSet results = statement.executeQuery("SELECT id, name FROM items");
            results.close();
            assertConforms(ResultSet.class, results, HARMLESS_AFTER_CLOSE.get(ResultSet.class));
        }
    }

    @Test
    void databaseMetaDataMethodsAreImplementedAndFailOnceTheLeaseIsClosed() throws Exception {
        Connection lease = pool.getConnection();
        DatabaseMetaData metaData = lease.getMetaData();
        lease.close();
        assertConforms(DatabaseMetaData.class, metaData, HARMLESS_AFTER_CLOSE.get(DatabaseMetaData.class));
    }

    @Test
    void databaseMetaDataResultsFailOnceTheLeaseIsClosed() throws Exception {
        Connection lease = pool.getConnection();
        ResultSet tables = lease.getMetaData().getTables(null, null, "%", null);
        lease.close();
        assertConforms(ResultSet.class, tables, HARMLESS_AFTER_CLOSE.get(ResultSet.class));
    }

    @Test
    void resultSetMetaDataMethodsAreImplementedAndFailOnceTheResultSetIsClosed() throws Exception {
        try (Connection lease = pool.getConnection(); Statement statement = lease.createStatement()) {
            ResultSet results = statement.executeQuery("SELECT id, name FROM items");
            ResultSetMetaData metaData = results.getMetaData();
            results.close();
            assertConforms(ResultSetMetaData.class, metaData, HARMLESS_AFTER_CLOSE.get(ResultSetMetaData.class));
        }
    }

    @Test
    void parameterMetaDataMethodsAreImplementedAndFailOnceTheStatementIsClosed() throws Exception {
        try (Connection lease = pool.getConnection()) {
            PreparedStatement statement = lease.prepareStatement("SELECT name FROM items WHERE id = ?");
            ParameterMetaData metaData = statement.getParameterMetaData();
            statement.close();
            assertConforms(ParameterMetaData.class, metaData, HARMLESS_AFTER_CLOSE.get(ParameterMetaData.class));
        }
    }

    /** SQLite has no stored procedures: the lease offers no {@code CallableStatement} at all. */
    @Test
    void callableStatementsAreNotOffered() throws Exception {
        try (Connection lease = pool.getConnection()) {
            assertThatThrownBy(() -> lease.prepareCall("SELECT 1")).isInstanceOf(SQLFeatureNotSupportedException.class);
            assertThatThrownBy(() -> lease.prepareCall("SELECT 1", ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY))
                    .isInstanceOf(SQLFeatureNotSupportedException.class);
        }
    }

    private static void assertConforms(Class<?> api, Object wrapper, Map<String, String> harmless) throws Exception {
        assertThat(wrapper.getClass().getSimpleName()).startsWith("Generated");
        List<String> notImplemented = new ArrayList<>();
        List<String> notGuarded = new ArrayList<>();
        Set<String> harmlessSeen = new HashSet<>();
        for (Method method : api.getMethods()) {
            if (method.isDefault() || Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            Method implementation = wrapper.getClass().getMethod(method.getName(), method.getParameterTypes());
            if (Modifier.isAbstract(implementation.getModifiers())
                    || !implementation.getDeclaringClass().getPackageName().equals(SqlitePool.class.getPackageName())) {
                notImplemented.add(signature(method));
                continue;
            }
            if (harmless.containsKey(method.getName())) {
                harmlessSeen.add(method.getName());
                continue;
            }
            try {
                implementation.setAccessible(true);
                implementation.invoke(wrapper, arguments(method));
                notGuarded.add(signature(method) + " returned");
            } catch (InvocationTargetException e) {
                if (!(e.getCause() instanceof SQLException)) {
                    notGuarded.add(signature(method) + " threw " + e.getCause());
                }
            }
        }
        assertThat(notImplemented).as("%s methods not implemented by the pool's wrapper", api.getSimpleName()).isEmpty();
        assertThat(notGuarded).as("%s methods that do not fail after close", api.getSimpleName()).isEmpty();
        assertThat(harmlessSeen).as("every listed exception is a real method").isEqualTo(harmless.keySet());
    }

    /** Zero, false or null for each parameter; a type that nothing is a wrapper of for {@code Class}. */
    private static Object[] arguments(Method method) {
        Class<?>[] types = method.getParameterTypes();
        Object[] arguments = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            Class<?> type = types[i];
            if (type == boolean.class) {
                arguments[i] = false;
            } else if (type == int.class) {
                arguments[i] = 1;
            } else if (type == long.class) {
                arguments[i] = 1L;
            } else if (type == short.class) {
                arguments[i] = (short) 1;
            } else if (type == byte.class) {
                arguments[i] = (byte) 1;
            } else if (type == float.class) {
                arguments[i] = 1f;
            } else if (type == double.class) {
                arguments[i] = 1d;
            } else if (type == Class.class) {
                arguments[i] = Thread.class;
            } else if (type == String.class) {
                arguments[i] = "SELECT 1";
            }
        }
        return arguments;
    }

    private static String signature(Method method) {
        return method.getName() + List.of(method.getParameterTypes()).stream().map(Class::getSimpleName).toList();
    }
}
