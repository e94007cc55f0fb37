package io.github.sqlitepool.sample;

import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The audit trail of status changes, in the sample's own table (created by Flyway). */
@Repository
class StatusChangeLog {

    private final JdbcClient jdbc;

    StatusChangeLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void record(String storyPath, String fromStatus, String toStatus, long version, String note) {
        jdbc.sql("INSERT INTO status_changes (story_path, from_status, to_status, version, note) "
                + "VALUES (?, ?, ?, ?, ?)")
                .params(storyPath, fromStatus, toStatus, version, note)
                .update();
    }

    /** The changes of one story, oldest first. */
    List<StatusChange> changesOf(String storyPath) {
        return jdbc.sql("SELECT id, story_path, from_status, to_status, version, note, changed_at "
                + "FROM status_changes WHERE story_path = ? ORDER BY id")
                .param(storyPath)
                .query(StatusChange.class)
                .list();
    }
}
