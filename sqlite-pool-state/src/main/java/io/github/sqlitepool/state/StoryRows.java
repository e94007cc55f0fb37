package io.github.sqlitepool.state;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;

/**
 * Translates between the {@code stories} table and the manager's records: the parameters of a
 * {@link StoryUpdate}, a row as a {@link Story}, status counts; the QA result as JSON text.
 */
final class StoryRows {

    private final JsonMapper json = JsonMapper.builder().build();

    /** The named parameters of the upsert (and the version read after it) for {@code update}. */
    MapSqlParameterSource updateParameters(StoryUpdate update) {
        return new MapSqlParameterSource()
                .addValue("storyPath", update.storyPath())
                .addValue("epicPath", update.epicPath())
                .addValue("status", update.status().value())
                .addValue("phase", update.phase())
                .addValue("iteration", update.iteration())
                .addValue("qaResult", update.qaResult() == null ? null : toJson(update))
                .addValue("errorMessage", update.errorMessage())
                .addValue("expectedVersion", update.expectedVersion());
    }

    RowMapper<Story> storyMapper() {
        return (rows, n) -> new Story(rows.getLong("id"), rows.getString("epic_path"), rows.getString("story_path"),
                rows.getString("status"), rows.getInt("iteration"), qaResult(rows), rows.getString("error_message"),
                rows.getString("created_at"), rows.getString("updated_at"), rows.getString("phase"),
                rows.getObject("version") == null ? 1 : rows.getLong("version"));
    }

    static RowMapper<Map.Entry<String, Long>> countMapper() {
        return (rows, n) -> Map.entry(String.valueOf(rows.getString("status")), rows.getLong("n"));
    }

    /** The counts per status, in the order read, a status read twice summed. */
    static Map<String, Long> counts(List<Map.Entry<String, Long>> entries) {
        Map<String, Long> counts = new LinkedHashMap<>();
        entries.forEach(e -> counts.merge(e.getKey(), e.getValue(), Long::sum));
        return counts;
    }

    private String toJson(StoryUpdate update) {
        try {
            return json.writeValueAsString(update.qaResult());
        }
        catch (JacksonException ex) {
            throw new IllegalArgumentException("QA result of " + update.storyPath() + " cannot be written as JSON: "
                    + ex.getOriginalMessage(), ex);
        }
    }

    private JsonNode qaResult(ResultSet rows) throws SQLException {
        String text = rows.getString("qa_result");
        if (text == null) {
            return null;
        }
        try {
            return json.readTree(text);
        }
        catch (JacksonException ex) {
            throw new StateException("Story " + rows.getString("story_path") + " has a qa_result that is not JSON: "
                    + ex.getOriginalMessage(), ex);
        }
    }
}
