package io.github.sqlitepool.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.sqlitepool.pool.config.JournalMode;
import io.github.sqlitepool.pool.config.PragmaSettings;
import io.github.sqlitepool.pool.config.Synchronous;
import io.github.sqlitepool.pool.config.TempStore;

/** PRAGMAs applied, in a fixed order, to every connection the pool opens. */
public class PragmaProperties {

    /**
     * Journal mode. WAL lets readers run beside the writer.
     */
    private JournalMode journalMode = PragmaSettings.DEFAULT_JOURNAL_MODE;

    /**
     * How often SQLite waits for the disk. NORMAL in WAL mode loses no commit on a process
     * crash; FULL also survives a power loss.
     */
    private Synchronous synchronous = PragmaSettings.DEFAULT_SYNCHRONOUS;

    /**
     * Page cache per connection: pages when positive, KiB when negative.
     */
    private int cacheSize = PragmaSettings.DEFAULT_CACHE_SIZE;

    /**
     * Where temporary tables and indices are kept.
     */
    private TempStore tempStore = PragmaSettings.DEFAULT_TEMP_STORE;

    /**
     * How long a connection waits for a lock held by another process before failing with
     * SQLITE_BUSY.
     */
    private Duration busyTimeout = PragmaSettings.DEFAULT_BUSY_TIMEOUT;

    /**
     * Whether foreign key constraints are enforced.
     */
    private boolean foreignKeys = PragmaSettings.DEFAULT_FOREIGN_KEYS;

    /**
     * Bytes of the database file to memory-map; SQLite's default (0, off) when not set.
     * Leave it off unless no other program can truncate or overwrite the file: a mapped
     * page that vanishes kills the JVM with SIGBUS instead of failing a statement. The
     * pool logs a WARN at startup when it is on.
     */
    private Long mmapSize;

    /**
     * Size in bytes to which the WAL file is truncated after a checkpoint; -1 for no
     * limit. SQLite's default (-1) when not set.
     */
    private Long journalSizeLimit;

    /**
     * WAL size, in pages, that triggers an automatic checkpoint; 0 turns it off. SQLite's
     * default (1000) when not set.
     */
    private Integer walAutocheckpoint;

    /**
     * Further PRAGMAs by name, for example 'max_page_count: 100000'. Only names in the
     * allow-list, and values that are plain integers, booleans or single keywords, are
     * accepted.
     */
    private Map<String, String> extra = new LinkedHashMap<>();

    public JournalMode getJournalMode() {
        return journalMode;
    }

    public void setJournalMode(JournalMode journalMode) {
        this.journalMode = journalMode;
    }

    public Synchronous getSynchronous() {
        return synchronous;
    }

    public void setSynchronous(Synchronous synchronous) {
        this.synchronous = synchronous;
    }

    public int getCacheSize() {
        return cacheSize;
    }

    public void setCacheSize(int cacheSize) {
        this.cacheSize = cacheSize;
    }

    public TempStore getTempStore() {
        return tempStore;
    }

    public void setTempStore(TempStore tempStore) {
        this.tempStore = tempStore;
    }

    public Duration getBusyTimeout() {
        return busyTimeout;
    }

    public void setBusyTimeout(Duration busyTimeout) {
        this.busyTimeout = busyTimeout;
    }

    public boolean isForeignKeys() {
        return foreignKeys;
    }

    public void setForeignKeys(boolean foreignKeys) {
        this.foreignKeys = foreignKeys;
    }

    public Long getMmapSize() {
        return mmapSize;
    }

    public void setMmapSize(Long mmapSize) {
        this.mmapSize = mmapSize;
    }

    public Long getJournalSizeLimit() {
        return journalSizeLimit;
    }

    public void setJournalSizeLimit(Long journalSizeLimit) {
        this.journalSizeLimit = journalSizeLimit;
    }

    public Integer getWalAutocheckpoint() {
        return walAutocheckpoint;
    }

    public void setWalAutocheckpoint(Integer walAutocheckpoint) {
        this.walAutocheckpoint = walAutocheckpoint;
    }

    public Map<String, String> getExtra() {
        return extra;
    }

    public void setExtra(Map<String, String> extra) {
        this.extra = extra;
    }

    PragmaSettings toSettings() {
        return PragmaSettings.builder()
                .journalMode(journalMode)
                .synchronous(synchronous)
                .cacheSize(cacheSize)
                .tempStore(tempStore)
                .busyTimeout(busyTimeout)
                .foreignKeys(foreignKeys)
                .mmapSize(mmapSize)
                .journalSizeLimit(journalSizeLimit)
                .walAutocheckpoint(walAutocheckpoint)
                .extra(extra)
                .build();
    }
}
