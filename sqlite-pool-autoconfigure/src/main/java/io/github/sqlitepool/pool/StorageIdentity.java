package io.github.sqlitepool.pool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the files the pool's connections have open are still the files at their paths.
 *
 * <p>A connection keeps writing to a database, {@code -wal} or {@code -shm} file that was
 * deleted or replaced: SQLite acknowledges the commit, and a crash loses it (the WAL holding
 * the only copy is gone with the process). So the pool remembers each file's identity (device
 * and inode) when it first sees it and compares it with what the path names now; it also reads
 * the database header, so that a file truncated or overwritten in place (same inode) is noticed
 * before the next quick check: the magic string and page size must be unchanged and the size a
 * whole number of pages.
 *
 * <p>A fault, once found, stays until the pool is closed: only a restart reopens the files.
 */
final class StorageIdentity {

    private static final Logger log = LoggerFactory.getLogger(StorageIdentity.class);

    private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    private final String poolName;

    private final Path database;

    private final Path wal;

    private final Path shm;

    private Object databaseKey;

    private Object walKey;

    private Object shmKey;

    /** The page size from the header when first read; 0 until the file has a header. */
    private int pageSize;

    private volatile String fault;

    /** Whether the fault is in the {@code -wal} or {@code -shm} file and the WAL has not been saved yet. */
    private boolean walRescueDue;

    StorageIdentity(String poolName, Path database) {
        this.poolName = poolName;
        this.database = database.toAbsolutePath();
        this.wal = WalFile.of(this.database);
        this.shm = WalFile.shmOf(this.database);
    }

    /** Records the files' identities as they are now: call once the pool's connections are open. */
    synchronized void record() {
        databaseKey = key(database);
        walKey = key(wal);
        shmKey = key(shm);
        pageSize = readPageSize();
    }

    /**
     * Forgets the {@code -wal} and {@code -shm} files: SQLite deletes them when the last
     * connection closes and makes new ones for the next, so after the pool had no connection
     * open, new files are expected.
     */
    synchronized void journalFilesRecreated() {
        walKey = null;
        shmKey = null;
    }

    /** The fault found so far, or null. */
    String fault() {
        return fault;
    }

    /** Compares the files with their recorded identities now; returns the fault, or null. */
    synchronized String check() {
        if (fault != null) {
            return fault;
        }
        String found = databaseFault();
        if (found == null) {
            walKey = compare(wal, walKey, "WAL file");
            shmKey = fault == null ? compare(shm, shmKey, "shared-memory file") : shmKey;
            found = fault;
            walRescueDue = found != null;
        }
        if (found != null) {
            log.error("Pool '{}' refuses writes: {}", poolName, found);
        }
        return found;
    }

    private String databaseFault() {
        Object now = key(database);
        if (databaseKey != null && now == null) {
            return fault = "database file " + database + " was deleted while the pool had it open; writes would go "
                    + "to the unlinked file and be lost. Stop the application, restore the file (from a backup if need "
                    + "be) and restart";
        }
        if (databaseKey != null && !databaseKey.equals(now)) {
            return fault = "database file " + database + " was replaced while the pool had it open (the pool's "
                    + "connections still use the old file, and what they write is lost when they close). Stop the "
                    + "application, find what replaced the file, and restart";
        }
        if (databaseKey == null) {
            databaseKey = now;
        }
        String header = headerFault();
        if (header != null) {
            fault = "database file " + database + " " + header + " while the pool had it open (another program "
                    + "truncated or overwrote it in place). Stop the application, restore the file from a backup, "
                    + "and restart";
        }
        return fault;
    }

    /**
     * True once after a fault in the {@code -wal} or {@code -shm} file was found: the commits
     * in the open WAL are then to be checkpointed into the database file while it is still open.
     */
    synchronized boolean takeWalRescue() {
        boolean due = walRescueDue;
        walRescueDue = false;
        return due;
    }

    /** Whether a rescue is due and nobody has taken it. */
    synchronized boolean walRescuePending() {
        return walRescueDue;
    }

    /** The rescue taken could not run: it is due again. */
    synchronized void walRescueAgain() {
        walRescueDue = true;
    }

    /** Returns the key to remember: the recorded one, or the first one seen. Sets the fault on a change. */
    private Object compare(Path file, Object recorded, String what) {
        Object now = key(file);
        if (recorded == null) {
            return now;
        }
        if (now == null) {
            fault = what + " " + file + " was deleted while the pool had it open; commits since then live only in the "
                    + "open file and a crash would lose them. Stop the application cleanly (its checkpoint on close "
                    + "saves what the open file holds into the database), find what deleted the file, and restart";
        } else if (!recorded.equals(now)) {
            fault = what + " " + file + " was replaced while the pool had it open; the pool's connections still use "
                    + "the old file. Stop the application cleanly (its checkpoint on close saves what the open file "
                    + "holds), remove the replacement if it is still there, and restart";
        }
        return recorded;
    }

    private String headerFault() {
        if (pageSize == 0) {
            pageSize = readPageSize();
            return null;
        }
        try (FileChannel channel = FileChannel.open(database, StandardOpenOption.READ)) {
            long size = channel.size();
            int nowPageSize = pageSize(channel);
            if (nowPageSize == 0) {
                return "lost its SQLite header (size now " + size + " bytes)";
            }
            if (nowPageSize != pageSize) {
                return "has a different page size in its header (" + nowPageSize + ", was " + pageSize + ")";
            }
            if (size % pageSize != 0) {
                return "is " + size + " bytes, not a whole number of " + pageSize + "-byte pages";
            }
            return null;
        } catch (NoSuchFileException e) {
            return "disappeared";
        } catch (IOException e) {
            log.warn("Pool '{}' cannot read the header of {}: {}", poolName, database, e.getMessage());
            return null;
        }
    }

    /** The page size in the header, or 0 when the file has no SQLite header (yet). */
    private int readPageSize() {
        try (FileChannel channel = FileChannel.open(database, StandardOpenOption.READ)) {
            return pageSize(channel);
        } catch (IOException e) {
            return 0;
        }
    }

    /** The page size in the header (bytes 16-17, big-endian, 1 meaning 65536), or 0 without a header. */
    private static int pageSize(FileChannel channel) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(18);
        while (header.hasRemaining() && channel.read(header, header.position()) > 0) {
            // read until the header is complete or the file ends
        }
        if (header.hasRemaining()) {
            return 0;
        }
        byte[] bytes = header.array();
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                return 0;
            }
        }
        int size = ((bytes[16] & 0xff) << 8) | (bytes[17] & 0xff);
        return size == 1 ? 65_536 : size;
    }

    /** The file's identity (device and inode on Unix), or null when it does not exist or has none. */
    private static Object key(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }
}
