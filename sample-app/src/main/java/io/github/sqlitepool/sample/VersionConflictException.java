package io.github.sqlitepool.sample;

/** The caller's expected version is not the stored one, so nothing was changed (HTTP 409). */
class VersionConflictException extends RuntimeException {

    private final long expectedVersion;

    private final long currentVersion;

    VersionConflictException(String storyPath, long expectedVersion, long currentVersion) {
        super("Story '" + storyPath + "' is at version " + currentVersion + ", not " + expectedVersion
                + "; read it again and retry");
        this.expectedVersion = expectedVersion;
        this.currentVersion = currentVersion;
    }

    long expectedVersion() {
        return expectedVersion;
    }

    long currentVersion() {
        return currentVersion;
    }
}
