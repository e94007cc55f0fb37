package io.github.sqlitepool.pool;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.Map;

/**
 * A result set handed out by a leased statement. It answers {@link #getStatement()} with that
 * statement (never the driver's, which would lead past the lease to the pooled connection), and
 * it stops working for good once its statement is closed, executed again, or put back in the
 * connection's statement cache: sqlite-jdbc reuses one result set object per statement, so a
 * stale reference would otherwise read the rows of the statement's next user.
 */
final class LeasedResultSet implements ResultSet, LeaseBound {

    /** The statement it came from; null for the results of database metadata. */
    private final LeasedStatement<?> statement;

    private final ResultSet delegate;

    private boolean closed;

    LeasedResultSet(LeasedStatement<?> statement, ResultSet delegate) {
        this.statement = statement;
        this.delegate = delegate;
    }

    /** Ends this result set for its holder without touching the driver's (its statement resets that). */
    void invalidate() {
        closed = true;
    }

    @Override
    public void checkUsable() throws SQLException {
        if (closed) {
            throw new SQLException("result set is closed: its statement was closed or executed again", "24000");
        }
    }

    @Override
    public void close() throws SQLException {
        if (!closed) {
            closed = true;
            try {
                delegate.close();
            } finally {
                if (statement != null) {
                    statement.resultClosed(this);
                }
            }
        }
    }

    @Override
    public boolean isClosed() throws SQLException {
        return closed || delegate.isClosed();
    }

    @Override
    public Statement getStatement() throws SQLException {
        checkUsable();
        return statement;
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return LeaseBound.unwrap(this, delegate, this, iface);
    }

    @Override
    public void driverExposed() {
        if (statement != null) {
            statement.driverExposed();
        }
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return LeaseBound.isWrapperFor(this, delegate, iface);
    }

    @Override
    public String toString() {
        return "LeasedResultSet[" + delegate + "]";
    }

    @Override
    public boolean absolute(int arg) throws SQLException {
        checkUsable();
        return delegate.absolute(arg);
    }

    @Override
    public void afterLast() throws SQLException {
        checkUsable();
        delegate.afterLast();
    }

    @Override
    public void beforeFirst() throws SQLException {
        checkUsable();
        delegate.beforeFirst();
    }

    @Override
    public void cancelRowUpdates() throws SQLException {
        checkUsable();
        delegate.cancelRowUpdates();
    }

    @Override
    public void clearWarnings() throws SQLException {
        checkUsable();
        delegate.clearWarnings();
    }

    @Override
    public void deleteRow() throws SQLException {
        checkUsable();
        delegate.deleteRow();
    }

    @Override
    public int findColumn(String arg) throws SQLException {
        checkUsable();
        return delegate.findColumn(arg);
    }

    @Override
    public boolean first() throws SQLException {
        checkUsable();
        return delegate.first();
    }

    @Override
    public Array getArray(String arg) throws SQLException {
        checkUsable();
        return delegate.getArray(arg);
    }

    @Override
    public Array getArray(int arg) throws SQLException {
        checkUsable();
        return delegate.getArray(arg);
    }

    @Override
    public InputStream getAsciiStream(String arg) throws SQLException {
        checkUsable();
        return delegate.getAsciiStream(arg);
    }

    @Override
    public InputStream getAsciiStream(int arg) throws SQLException {
        checkUsable();
        return delegate.getAsciiStream(arg);
    }

    @Override
    public BigDecimal getBigDecimal(String arg1, int arg2) throws SQLException {
        checkUsable();
        return delegate.getBigDecimal(arg1, arg2);
    }

    @Override
    public BigDecimal getBigDecimal(String arg) throws SQLException {
        checkUsable();
        return delegate.getBigDecimal(arg);
    }

    @Override
    public BigDecimal getBigDecimal(int arg1, int arg2) throws SQLException {
        checkUsable();
        return delegate.getBigDecimal(arg1, arg2);
    }

    @Override
    public BigDecimal getBigDecimal(int arg) throws SQLException {
        checkUsable();
        return delegate.getBigDecimal(arg);
    }

    @Override
    public InputStream getBinaryStream(String arg) throws SQLException {
        checkUsable();
        return delegate.getBinaryStream(arg);
    }

    @Override
    public InputStream getBinaryStream(int arg) throws SQLException {
        checkUsable();
        return delegate.getBinaryStream(arg);
    }

    @Override
    public Blob getBlob(String arg) throws SQLException {
        checkUsable();
        return delegate.getBlob(arg);
    }

    @Override
    public Blob getBlob(int arg) throws SQLException {
        checkUsable();
        return delegate.getBlob(arg);
    }

    @Override
    public boolean getBoolean(String arg) throws SQLException {
        checkUsable();
        return delegate.getBoolean(arg);
    }

    @Override
    public boolean getBoolean(int arg) throws SQLException {
        checkUsable();
        return delegate.getBoolean(arg);
    }

    @Override
    public byte getByte(String arg) throws SQLException {
        checkUsable();
        return delegate.getByte(arg);
    }

    @Override
    public byte getByte(int arg) throws SQLException {
        checkUsable();
        return delegate.getByte(arg);
    }

    @Override
    public byte[] getBytes(String arg) throws SQLException {
        checkUsable();
        return delegate.getBytes(arg);
    }

    @Override
    public byte[] getBytes(int arg) throws SQLException {
        checkUsable();
        return delegate.getBytes(arg);
    }

    @Override
    public Reader getCharacterStream(String arg) throws SQLException {
        checkUsable();
        return delegate.getCharacterStream(arg);
    }

    @Override
    public Reader getCharacterStream(int arg) throws SQLException {
        checkUsable();
        return delegate.getCharacterStream(arg);
    }

    @Override
    public Clob getClob(String arg) throws SQLException {
        checkUsable();
        return delegate.getClob(arg);
    }

    @Override
    public Clob getClob(int arg) throws SQLException {
        checkUsable();
        return delegate.getClob(arg);
    }

    @Override
    public int getConcurrency() throws SQLException {
        checkUsable();
        return delegate.getConcurrency();
    }

    @Override
    public String getCursorName() throws SQLException {
        checkUsable();
        return delegate.getCursorName();
    }

    @Override
    public Date getDate(String arg1, Calendar arg2) throws SQLException {
        checkUsable();
        return delegate.getDate(arg1, arg2);
    }

    @Override
    public Date getDate(String arg) throws SQLException {
        checkUsable();
        return delegate.getDate(arg);
    }

    @Override
    public Date getDate(int arg1, Calendar arg2) throws SQLException {
        checkUsable();
        return delegate.getDate(arg1, arg2);
    }

    @Override
    public Date getDate(int arg) throws SQLException {
        checkUsable();
        return delegate.getDate(arg);
    }

    @Override
    public double getDouble(String arg) throws SQLException {
        checkUsable();
        return delegate.getDouble(arg);
    }

    @Override
    public double getDouble(int arg) throws SQLException {
        checkUsable();
        return delegate.getDouble(arg);
    }

    @Override
    public int getFetchDirection() throws SQLException {
        checkUsable();
        return delegate.getFetchDirection();
    }

    @Override
    public int getFetchSize() throws SQLException {
        checkUsable();
        return delegate.getFetchSize();
    }

    @Override
    public float getFloat(String arg) throws SQLException {
        checkUsable();
        return delegate.getFloat(arg);
    }

    @Override
    public float getFloat(int arg) throws SQLException {
        checkUsable();
        return delegate.getFloat(arg);
    }

    @Override
    public int getHoldability() throws SQLException {
        checkUsable();
        return delegate.getHoldability();
    }

    @Override
    public int getInt(String arg) throws SQLException {
        checkUsable();
        return delegate.getInt(arg);
    }

    @Override
    public int getInt(int arg) throws SQLException {
        checkUsable();
        return delegate.getInt(arg);
    }

    @Override
    public long getLong(String arg) throws SQLException {
        checkUsable();
        return delegate.getLong(arg);
    }

    @Override
    public long getLong(int arg) throws SQLException {
        checkUsable();
        return delegate.getLong(arg);
    }

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        checkUsable();
        return new LeasedResultSetMetaData(this, delegate.getMetaData());
    }

    @Override
    public Reader getNCharacterStream(String arg) throws SQLException {
        checkUsable();
        return delegate.getNCharacterStream(arg);
    }

    @Override
    public Reader getNCharacterStream(int arg) throws SQLException {
        checkUsable();
        return delegate.getNCharacterStream(arg);
    }

    @Override
    public NClob getNClob(String arg) throws SQLException {
        checkUsable();
        return delegate.getNClob(arg);
    }

    @Override
    public NClob getNClob(int arg) throws SQLException {
        checkUsable();
        return delegate.getNClob(arg);
    }

    @Override
    public String getNString(String arg) throws SQLException {
        checkUsable();
        return delegate.getNString(arg);
    }

    @Override
    public String getNString(int arg) throws SQLException {
        checkUsable();
        return delegate.getNString(arg);
    }

    @Override
    public <T> T getObject(String arg1, Class<T> arg2) throws SQLException {
        checkUsable();
        return delegate.getObject(arg1, arg2);
    }

    @Override
    public Object getObject(String arg1, Map<String, Class<?>> arg2) throws SQLException {
        checkUsable();
        return delegate.getObject(arg1, arg2);
    }

    @Override
    public Object getObject(String arg) throws SQLException {
        checkUsable();
        return delegate.getObject(arg);
    }

    @Override
    public <T> T getObject(int arg1, Class<T> arg2) throws SQLException {
        checkUsable();
        return delegate.getObject(arg1, arg2);
    }

    @Override
    public Object getObject(int arg1, Map<String, Class<?>> arg2) throws SQLException {
        checkUsable();
        return delegate.getObject(arg1, arg2);
    }

    @Override
    public Object getObject(int arg) throws SQLException {
        checkUsable();
        return delegate.getObject(arg);
    }

    @Override
    public Ref getRef(String arg) throws SQLException {
        checkUsable();
        return delegate.getRef(arg);
    }

    @Override
    public Ref getRef(int arg) throws SQLException {
        checkUsable();
        return delegate.getRef(arg);
    }

    @Override
    public int getRow() throws SQLException {
        checkUsable();
        return delegate.getRow();
    }

    @Override
    public RowId getRowId(String arg) throws SQLException {
        checkUsable();
        return delegate.getRowId(arg);
    }

    @Override
    public RowId getRowId(int arg) throws SQLException {
        checkUsable();
        return delegate.getRowId(arg);
    }

    @Override
    public SQLXML getSQLXML(String arg) throws SQLException {
        checkUsable();
        return delegate.getSQLXML(arg);
    }

    @Override
    public SQLXML getSQLXML(int arg) throws SQLException {
        checkUsable();
        return delegate.getSQLXML(arg);
    }

    @Override
    public short getShort(String arg) throws SQLException {
        checkUsable();
        return delegate.getShort(arg);
    }

    @Override
    public short getShort(int arg) throws SQLException {
        checkUsable();
        return delegate.getShort(arg);
    }

    @Override
    public String getString(String arg) throws SQLException {
        checkUsable();
        return delegate.getString(arg);
    }

    @Override
    public String getString(int arg) throws SQLException {
        checkUsable();
        return delegate.getString(arg);
    }

    @Override
    public Time getTime(String arg1, Calendar arg2) throws SQLException {
        checkUsable();
        return delegate.getTime(arg1, arg2);
    }

    @Override
    public Time getTime(String arg) throws SQLException {
        checkUsable();
        return delegate.getTime(arg);
    }

    @Override
    public Time getTime(int arg1, Calendar arg2) throws SQLException {
        checkUsable();
        return delegate.getTime(arg1, arg2);
    }

    @Override
    public Time getTime(int arg) throws SQLException {
        checkUsable();
        return delegate.getTime(arg);
    }

    @Override
    public Timestamp getTimestamp(String arg1, Calendar arg2) throws SQLException {
        checkUsable();
        return delegate.getTimestamp(arg1, arg2);
    }

    @Override
    public Timestamp getTimestamp(String arg) throws SQLException {
        checkUsable();
        return delegate.getTimestamp(arg);
    }

    @Override
    public Timestamp getTimestamp(int arg1, Calendar arg2) throws SQLException {
        checkUsable();
        return delegate.getTimestamp(arg1, arg2);
    }

    @Override
    public Timestamp getTimestamp(int arg) throws SQLException {
        checkUsable();
        return delegate.getTimestamp(arg);
    }

    @Override
    public int getType() throws SQLException {
        checkUsable();
        return delegate.getType();
    }

    @Override
    public URL getURL(String arg) throws SQLException {
        checkUsable();
        return delegate.getURL(arg);
    }

    @Override
    public URL getURL(int arg) throws SQLException {
        checkUsable();
        return delegate.getURL(arg);
    }

    @Override
    public InputStream getUnicodeStream(String arg) throws SQLException {
        checkUsable();
        return delegate.getUnicodeStream(arg);
    }

    @Override
    public InputStream getUnicodeStream(int arg) throws SQLException {
        checkUsable();
        return delegate.getUnicodeStream(arg);
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        checkUsable();
        return delegate.getWarnings();
    }

    @Override
    public void insertRow() throws SQLException {
        checkUsable();
        delegate.insertRow();
    }

    @Override
    public boolean isAfterLast() throws SQLException {
        checkUsable();
        return delegate.isAfterLast();
    }

    @Override
    public boolean isBeforeFirst() throws SQLException {
        checkUsable();
        return delegate.isBeforeFirst();
    }

    @Override
    public boolean isFirst() throws SQLException {
        checkUsable();
        return delegate.isFirst();
    }

    @Override
    public boolean isLast() throws SQLException {
        checkUsable();
        return delegate.isLast();
    }

    @Override
    public boolean last() throws SQLException {
        checkUsable();
        return delegate.last();
    }

    @Override
    public void moveToCurrentRow() throws SQLException {
        checkUsable();
        delegate.moveToCurrentRow();
    }

    @Override
    public void moveToInsertRow() throws SQLException {
        checkUsable();
        delegate.moveToInsertRow();
    }

    @Override
    public boolean next() throws SQLException {
        checkUsable();
        return delegate.next();
    }

    @Override
    public boolean previous() throws SQLException {
        checkUsable();
        return delegate.previous();
    }

    @Override
    public void refreshRow() throws SQLException {
        checkUsable();
        delegate.refreshRow();
    }

    @Override
    public boolean relative(int arg) throws SQLException {
        checkUsable();
        return delegate.relative(arg);
    }

    @Override
    public boolean rowDeleted() throws SQLException {
        checkUsable();
        return delegate.rowDeleted();
    }

    @Override
    public boolean rowInserted() throws SQLException {
        checkUsable();
        return delegate.rowInserted();
    }

    @Override
    public boolean rowUpdated() throws SQLException {
        checkUsable();
        return delegate.rowUpdated();
    }

    @Override
    public void setFetchDirection(int arg) throws SQLException {
        checkUsable();
        delegate.setFetchDirection(arg);
    }

    @Override
    public void setFetchSize(int arg) throws SQLException {
        checkUsable();
        delegate.setFetchSize(arg);
    }

    @Override
    public void updateArray(String arg1, Array arg2) throws SQLException {
        checkUsable();
        delegate.updateArray(arg1, arg2);
    }

    @Override
    public void updateArray(int arg1, Array arg2) throws SQLException {
        checkUsable();
        delegate.updateArray(arg1, arg2);
    }

    @Override
    public void updateAsciiStream(String arg1, InputStream arg2, int arg3) throws SQLException {
        checkUsable();
        delegate.updateAsciiStream(arg1, arg2, arg3);
    }

    @Override
    public void updateAsciiStream(String arg1, InputStream arg2, long arg3) throws SQLException {
        checkUsable();
        delegate.updateAsciiStream(arg1, arg2, arg3);
    }

    @Override
    public void updateAsciiStream(String arg1, InputStream arg2) throws SQLException {
        checkUsable();
        delegate.updateAsciiStream(arg1, arg2);
    }

    @Override
    public void updateAsciiStream(int arg1, InputStream arg2, int arg3) throws SQLException {
        checkUsable();
        delegate.updateAsciiStream(arg1, arg2, arg3);
    }

    @Override
    public void updateAsciiStream(int arg1, InputStream arg2, long arg3) throws SQLException {
        checkUsable();
        delegate.updateAsciiStream(arg1, arg2, arg3);
    }

    @Override
    public void updateAsciiStream(int arg1, InputStream arg2) throws SQLException {
        checkUsable();
        delegate.updateAsciiStream(arg1, arg2);
    }

    @Override
    public void updateBigDecimal(String arg1, BigDecimal arg2) throws SQLException {
        checkUsable();
        delegate.updateBigDecimal(arg1, arg2);
    }

    @Override
    public void updateBigDecimal(int arg1, BigDecimal arg2) throws SQLException {
        checkUsable();
        delegate.updateBigDecimal(arg1, arg2);
    }

    @Override
    public void updateBinaryStream(String arg1, InputStream arg2, int arg3) throws SQLException {
        checkUsable();
        delegate.updateBinaryStream(arg1, arg2, arg3);
    }

    @Override
    public void updateBinaryStream(String arg1, InputStream arg2, long arg3) throws SQLException {
        checkUsable();
        delegate.updateBinaryStream(arg1, arg2, arg3);
    }

    @Override
    public void updateBinaryStream(String arg1, InputStream arg2) throws SQLException {
        checkUsable();
        delegate.updateBinaryStream(arg1, arg2);
    }

    @Override
    public void updateBinaryStream(int arg1, InputStream arg2, int arg3) throws SQLException {
        checkUsable();
        delegate.updateBinaryStream(arg1, arg2, arg3);
    }

    @Override
    public void updateBinaryStream(int arg1, InputStream arg2, long arg3) throws SQLException {
        checkUsable();
        delegate.updateBinaryStream(arg1, arg2, arg3);
    }

    @Override
    public void updateBinaryStream(int arg1, InputStream arg2) throws SQLException {
        checkUsable();
        delegate.updateBinaryStream(arg1, arg2);
    }

    @Override
    public void updateBlob(String arg1, InputStream arg2, long arg3) throws SQLException {
        checkUsable();
        delegate.updateBlob(arg1, arg2, arg3);
    }

    @Override
    public void updateBlob(String arg1, InputStream arg2) throws SQLException {
        checkUsable();
        delegate.updateBlob(arg1, arg2);
    }

    @Override
    public void updateBlob(String arg1, Blob arg2) throws SQLException {
        checkUsable();
        delegate.updateBlob(arg1, arg2);
    }

    @Override
    public void updateBlob(int arg1, InputStream arg2, long arg3) throws SQLException {
        checkUsable();
        delegate.updateBlob(arg1, arg2, arg3);
    }

    @Override
    public void updateBlob(int arg1, InputStream arg2) throws SQLException {
        checkUsable();
        delegate.updateBlob(arg1, arg2);
    }

    @Override
    public void updateBlob(int arg1, Blob arg2) throws SQLException {
        checkUsable();
        delegate.updateBlob(arg1, arg2);
    }

    @Override
    public void updateBoolean(String arg1, boolean arg2) throws SQLException {
        checkUsable();
        delegate.updateBoolean(arg1, arg2);
    }

    @Override
    public void updateBoolean(int arg1, boolean arg2) throws SQLException {
        checkUsable();
        delegate.updateBoolean(arg1, arg2);
    }

    @Override
    public void updateByte(String arg1, byte arg2) throws SQLException {
        checkUsable();
        delegate.updateByte(arg1, arg2);
    }

    @Override
    public void updateByte(int arg1, byte arg2) throws SQLException {
        checkUsable();
        delegate.updateByte(arg1, arg2);
    }

    @Override
    public void updateBytes(String arg1, byte[] arg2) throws SQLException {
        checkUsable();
        delegate.updateBytes(arg1, arg2);
    }

    @Override
    public void updateBytes(int arg1, byte[] arg2) throws SQLException {
        checkUsable();
        delegate.updateBytes(arg1, arg2);
    }

    @Override
    public void updateCharacterStream(String arg1, Reader arg2, int arg3) throws SQLException {
        checkUsable();
        delegate.updateCharacterStream(arg1, arg2, arg3);
    }

    @Override
    public void updateCharacterStream(String arg1, Reader arg2, long arg3) throws SQLException {
        checkUsable();
        delegate.updateCharacterStream(arg1, arg2, arg3);
    }

    @Override
    public void updateCharacterStream(String arg1, Reader arg2) throws SQLException {
        checkUsable();
        delegate.updateCharacterStream(arg1, arg2);
    }

    @Override
    public void updateCharacterStream(int arg1, Reader arg2, int arg3) throws SQLException {
        checkUsable();
        delegate.updateCharacterStream(arg1, arg2, arg3);
    }

    @Override
    public void updateCharacterStream(int arg1, Reader arg2, long arg3) throws SQLException {
        checkUsable();
        delegate.updateCharacterStream(arg1, arg2, arg3);
    }

    @Override
    public void updateCharacterStream(int arg1, Reader arg2) throws SQLException {
        checkUsable();
        delegate.updateCharacterStream(arg1, arg2);
    }

    @Override
    public void updateClob(String arg1, Reader arg2, long arg3) throws SQLException {
        checkUsable();
        delegate.updateClob(arg1, arg2, arg3);
    }

    @Override
    public void updateClob(String arg1, Reader arg2) throws SQLException {
        checkUsable();
        delegate.updateClob(arg1, arg2);
    }

    @Override
    public void updateClob(String arg1, Clob arg2) throws SQLException {
        checkUsable();
        delegate.updateClob(arg1, arg2);
    }

    @Override
    public void updateClob(int arg1, Reader arg2, long arg3) throws SQLException {
        checkUsable();
        delegate.updateClob(arg1, arg2, arg3);
    }

    @Override
    public void updateClob(int arg1, Reader arg2) throws SQLException {
        checkUsable();
        delegate.updateClob(arg1, arg2);
    }

    @Override
    public void updateClob(int arg1, Clob arg2) throws SQLException {
        checkUsable();
        delegate.updateClob(arg1, arg2);
    }

    @Override
    public void updateDate(String arg1, Date arg2) throws SQLException {
        checkUsable();
        delegate.updateDate(arg1, arg2);
    }

    @Override
    public void updateDate(int arg1, Date arg2) throws SQLException {
        checkUsable();
        delegate.updateDate(arg1, arg2);
    }

    @Override
    public void updateDouble(String arg1, double arg2) throws SQLException {
        checkUsable();
        delegate.updateDouble(arg1, arg2);
    }

    @Override
    public void updateDouble(int arg1, double arg2) throws SQLException {
        checkUsable();
        delegate.updateDouble(arg1, arg2);
    }

    @Override
    public void updateFloat(String arg1, float arg2) throws SQLException {
        checkUsable();
        delegate.updateFloat(arg1, arg2);
    }

    @Override
    public void updateFloat(int arg1, float arg2) throws SQLException {
        checkUsable();
        delegate.updateFloat(arg1, arg2);
    }

    @Override
    public void updateInt(String arg1, int arg2) throws SQLException {
        checkUsable();
        delegate.updateInt(arg1, arg2);
    }

    @Override
    public void updateInt(int arg1, int arg2) throws SQLException {
        checkUsable();
        delegate.updateInt(arg1, arg2);
    }

    @Override
    public void updateLong(String arg1, long arg2) throws SQLException {
        checkUsable();
        delegate.updateLong(arg1, arg2);
    }

    @Override
    public void updateLong(int arg1, long arg2) throws SQLException {
        checkUsable();
        delegate.updateLong(arg1, arg2);
    }

    @Override
    public void updateNCharacterStream(String arg1, Reader arg2, long arg3) throws SQLException {
        checkUsable();
        delegate.updateNCharacterStream(arg1, arg2, arg3);
    }

    @Override
    public void updateNCharacterStream(String arg1, Reader arg2) throws SQLException {
        checkUsable();
        delegate.updateNCharacterStream(arg1, arg2);
    }

    @Override
    public void updateNCharacterStream(int arg1, Reader arg2, long arg3) throws SQLException {
        checkUsable();
        delegate.updateNCharacterStream(arg1, arg2, arg3);
    }

    @Override
    public void updateNCharacterStream(int arg1, Reader arg2) throws SQLException {
        checkUsable();
        delegate.updateNCharacterStream(arg1, arg2);
    }

    @Override
    public void updateNClob(String arg1, Reader arg2, long arg3) throws SQLException {
        checkUsable();
        delegate.updateNClob(arg1, arg2, arg3);
    }

    @Override
    public void updateNClob(String arg1, Reader arg2) throws SQLException {
        checkUsable();
        delegate.updateNClob(arg1, arg2);
    }

    @Override
    public void updateNClob(String arg1, NClob arg2) throws SQLException {
        checkUsable();
        delegate.updateNClob(arg1, arg2);
    }

    @Override
    public void updateNClob(int arg1, Reader arg2, long arg3) throws SQLException {
        checkUsable();
        delegate.updateNClob(arg1, arg2, arg3);
    }

    @Override
    public void updateNClob(int arg1, Reader arg2) throws SQLException {
        checkUsable();
        delegate.updateNClob(arg1, arg2);
    }

    @Override
    public void updateNClob(int arg1, NClob arg2) throws SQLException {
        checkUsable();
        delegate.updateNClob(arg1, arg2);
    }

    @Override
    public void updateNString(String arg1, String arg2) throws SQLException {
        checkUsable();
        delegate.updateNString(arg1, arg2);
    }

    @Override
    public void updateNString(int arg1, String arg2) throws SQLException {
        checkUsable();
        delegate.updateNString(arg1, arg2);
    }

    @Override
    public void updateNull(String arg) throws SQLException {
        checkUsable();
        delegate.updateNull(arg);
    }

    @Override
    public void updateNull(int arg) throws SQLException {
        checkUsable();
        delegate.updateNull(arg);
    }

    @Override
    public void updateObject(String arg1, Object arg2, int arg3) throws SQLException {
        checkUsable();
        delegate.updateObject(arg1, arg2, arg3);
    }

    @Override
    public void updateObject(String arg1, Object arg2, SQLType arg3, int arg4) throws SQLException {
        checkUsable();
        delegate.updateObject(arg1, arg2, arg3, arg4);
    }

    @Override
    public void updateObject(String arg1, Object arg2, SQLType arg3) throws SQLException {
        checkUsable();
        delegate.updateObject(arg1, arg2, arg3);
    }

    @Override
    public void updateObject(String arg1, Object arg2) throws SQLException {
        checkUsable();
        delegate.updateObject(arg1, arg2);
    }

    @Override
    public void updateObject(int arg1, Object arg2, int arg3) throws SQLException {
        checkUsable();
        delegate.updateObject(arg1, arg2, arg3);
    }

    @Override
    public void updateObject(int arg1, Object arg2, SQLType arg3, int arg4) throws SQLException {
        checkUsable();
        delegate.updateObject(arg1, arg2, arg3, arg4);
    }

    @Override
    public void updateObject(int arg1, Object arg2, SQLType arg3) throws SQLException {
        checkUsable();
        delegate.updateObject(arg1, arg2, arg3);
    }

    @Override
    public void updateObject(int arg1, Object arg2) throws SQLException {
        checkUsable();
        delegate.updateObject(arg1, arg2);
    }

    @Override
    public void updateRef(String arg1, Ref arg2) throws SQLException {
        checkUsable();
        delegate.updateRef(arg1, arg2);
    }

    @Override
    public void updateRef(int arg1, Ref arg2) throws SQLException {
        checkUsable();
        delegate.updateRef(arg1, arg2);
    }

    @Override
    public void updateRow() throws SQLException {
        checkUsable();
        delegate.updateRow();
    }

    @Override
    public void updateRowId(String arg1, RowId arg2) throws SQLException {
        checkUsable();
        delegate.updateRowId(arg1, arg2);
    }

    @Override
    public void updateRowId(int arg1, RowId arg2) throws SQLException {
        checkUsable();
        delegate.updateRowId(arg1, arg2);
    }

    @Override
    public void updateSQLXML(String arg1, SQLXML arg2) throws SQLException {
        checkUsable();
        delegate.updateSQLXML(arg1, arg2);
    }

    @Override
    public void updateSQLXML(int arg1, SQLXML arg2) throws SQLException {
        checkUsable();
        delegate.updateSQLXML(arg1, arg2);
    }

    @Override
    public void updateShort(String arg1, short arg2) throws SQLException {
        checkUsable();
        delegate.updateShort(arg1, arg2);
    }

    @Override
    public void updateShort(int arg1, short arg2) throws SQLException {
        checkUsable();
        delegate.updateShort(arg1, arg2);
    }

    @Override
    public void updateString(String arg1, String arg2) throws SQLException {
        checkUsable();
        delegate.updateString(arg1, arg2);
    }

    @Override
    public void updateString(int arg1, String arg2) throws SQLException {
        checkUsable();
        delegate.updateString(arg1, arg2);
    }

    @Override
    public void updateTime(String arg1, Time arg2) throws SQLException {
        checkUsable();
        delegate.updateTime(arg1, arg2);
    }

    @Override
    public void updateTime(int arg1, Time arg2) throws SQLException {
        checkUsable();
        delegate.updateTime(arg1, arg2);
    }

    @Override
    public void updateTimestamp(String arg1, Timestamp arg2) throws SQLException {
        checkUsable();
        delegate.updateTimestamp(arg1, arg2);
    }

    @Override
    public void updateTimestamp(int arg1, Timestamp arg2) throws SQLException {
        checkUsable();
        delegate.updateTimestamp(arg1, arg2);
    }

    @Override
    public boolean wasNull() throws SQLException {
        checkUsable();
        return delegate.wasNull();
    }
}
