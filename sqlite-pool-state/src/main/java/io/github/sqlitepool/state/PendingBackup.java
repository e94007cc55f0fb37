package io.github.sqlitepool.state;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A backup while it is being written: a hidden temporary file in the backup directory that
 * gets its final name only once it is complete, synced and verified. A crash at any moment
 * therefore leaves either no file under a backup name or a complete one; what it leaves under
 * a temporary name is ignored by restore and removed by the next backup.
 *
 * <p>Temporary names are {@code .<base>.<pid>.<random>.backup-tmp}: unique without
 * coordination, and the process id tells a later backup whether the writer is still alive.
 */
final class PendingBackup implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PendingBackup.class);

    private static final String TEMP_MARKER = ".backup-tmp";

    private static final long PID = ProcessHandle.current().pid();

    /** Whether this platform can open and sync a directory, so that a failure to do so is real. */
    private static final boolean DIRECTORIES_SYNC = System.getProperty("os.name", "").startsWith("Linux");

    /** Temporary files this JVM is writing now: never removed as stale. */
    private static final Set<Path> IN_PROGRESS = ConcurrentHashMap.newKeySet();

    /** Choosing a free final name and moving onto it is one step for the backups of this JVM. */
    private static final Object NAMING = new Object();

    private final Path dir;

    private final Path temp;

    private boolean published;

    private PendingBackup(Path dir, Path temp) {
        this.dir = dir;
        this.temp = temp;
    }

    /** Creates an empty temporary file (which {@code VACUUM INTO} accepts as its target) in {@code dir}. */
    static PendingBackup start(Path dir, String base) throws IOException {
        Path temp = dir.resolve("." + base + "." + PID + "." + UUID.randomUUID() + TEMP_MARKER);
        IN_PROGRESS.add(temp);
        try {
            Files.createFile(temp);
        } catch (IOException | RuntimeException e) {
            IN_PROGRESS.remove(temp);
            throw e;
        }
        return new PendingBackup(dir, temp);
    }

    /** Whether {@code file} is a backup still being written, or left behind by a crash. */
    static boolean isTemporary(Path file) {
        Path name = file.getFileName();
        return name != null && name.toString().startsWith(".") && name.toString().contains(TEMP_MARKER);
    }

    /**
     * Removes temporary files (and their journals) of backups whose writer is gone: another
     * process that no longer runs, or this JVM when the backup is no longer in progress.
     *
     * @return how many files were removed
     */
    static int removeStale(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, ".*" + TEMP_MARKER + "*")) {
            for (Path file : files) {
                if (isStale(file) && Files.deleteIfExists(file)) {
                    removed++;
                }
            }
        } catch (IOException e) {
            log.warn("Cannot remove unfinished backups from {}: {}", dir, e.getMessage(), e);
        }
        if (removed > 0) {
            log.info("Removed {} unfinished backup file(s) left in {} by an interrupted backup", removed, dir);
        }
        return removed;
    }

    private static boolean isStale(Path file) {
        String name = file.getFileName().toString();
        Path temp = file.resolveSibling(name.substring(0, name.indexOf(TEMP_MARKER) + TEMP_MARKER.length()));
        if (IN_PROGRESS.contains(temp)) {
            return false;
        }
        String[] parts = name.split("\\.");
        // "", base..., pid, uuid, "backup-tmp[-journal]": the pid is third from the end
        if (parts.length < 4) {
            return true;
        }
        try {
            long pid = Long.parseLong(parts[parts.length - 3]);
            return pid == PID || ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /** The temporary file to write the backup into. */
    Path file() {
        return temp;
    }

    /** Forces the temporary file's contents to the storage device. */
    void sync() throws IOException {
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    /**
     * Moves the temporary file atomically to {@code <base><suffix>}, or to
     * {@code <base>_2<suffix>}, {@code _3}... when that name is taken, and syncs the directory
     * so that the new name survives a power loss.
     *
     * @return the backup's final path
     */
    Path publish(String base, String suffix) throws IOException {
        Path target;
        synchronized (NAMING) {
            target = dir.resolve(base + suffix);
            for (int n = 2; Files.exists(target); n++) {
                target = dir.resolve(base + "_" + n + suffix);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + dir + " cannot rename atomically, so a backup could "
                        + "be left half-written under its final name: choose another backup directory", e);
            }
            published = true;
        }
        syncDirectory();
        return target;
    }

    private void syncDirectory() {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            if (DIRECTORIES_SYNC) {
                // Linux syncs directories: a failure means the new name may not survive a power loss.
                log.warn("Cannot sync backup directory {} after naming a backup in it: {}; after a power loss the "
                        + "backup may be missing under its name, so check the file system", dir, e.getMessage(), e);
            } else {
                // Some platforms (Windows) cannot open a directory; the rename is still atomic there.
                log.debug("Cannot sync backup directory {}: {}", dir, e.getMessage());
            }
        }
    }

    /** Removes the temporary file (and any journal beside it) unless it was published. */
    @Override
    public void close() {
        try {
            if (!published) {
                Files.deleteIfExists(temp);
                Files.deleteIfExists(temp.resolveSibling(temp.getFileName() + "-journal"));
            }
        } catch (IOException e) {
            log.warn("Cannot remove unfinished backup {}: {}; the next backup removes it", temp, e.getMessage());
        } finally {
            IN_PROGRESS.remove(temp);
        }
    }
}
