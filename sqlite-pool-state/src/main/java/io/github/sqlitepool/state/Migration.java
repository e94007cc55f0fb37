package io.github.sqlitepool.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.core.io.Resource;

/**
 * One versioned SQL script, {@code V<version>__<description>.sql}. A first-line comment
 * {@code -- skip-if-column-exists: table.column} marks a script that adds a column some
 * databases already have (SQLite has no {@code ADD COLUMN IF NOT EXISTS}).
 */
record Migration(int version, String name, Resource resource, String script) {

    private static final Pattern NAME = Pattern.compile("V(\\d+)__[A-Za-z0-9_]+\\.sql");

    private static final Pattern SKIP_IF_COLUMN = Pattern.compile(
            "\\A\\s*--\\s*skip-if-column-exists:\\s*([A-Za-z_][A-Za-z0-9_]*)\\.([A-Za-z_][A-Za-z0-9_]*)");

    static Migration load(Resource resource) {
        String name = resource.getFilename();
        Matcher matcher = name == null ? null : NAME.matcher(name);
        if (matcher == null || !matcher.matches()) {
            throw new StateMigrationException("Migration resource " + resource
                    + " is not named V<version>__<description>.sql");
        }
        try {
            return new Migration(Integer.parseInt(matcher.group(1)), name, resource,
                    resource.getContentAsString(StandardCharsets.UTF_8));
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot read migration " + name, ex);
        }
    }

    /** The table and column whose presence means this script has nothing to do. */
    Optional<String[]> skipIfColumnExists() {
        Matcher matcher = SKIP_IF_COLUMN.matcher(script);
        return matcher.find() ? Optional.of(new String[] { matcher.group(1), matcher.group(2) }) : Optional.empty();
    }
}
