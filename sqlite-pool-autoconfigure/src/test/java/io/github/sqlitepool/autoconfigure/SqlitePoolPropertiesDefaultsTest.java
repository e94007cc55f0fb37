package io.github.sqlitepool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.github.sqlitepool.pool.config.GroupCommitSettings;
import io.github.sqlitepool.pool.config.PragmaSettings;
import io.github.sqlitepool.pool.config.SqlitePoolConfig;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The properties' defaults are the pool's: {@code sqlite.pool.*} bound from an empty environment
 * builds the same configuration as {@link SqlitePoolConfig#builder()} left at its defaults.
 */
class SqlitePoolPropertiesDefaultsTest {

    /** A file URL: an in-memory one gets a new anonymous name at every parse. */
    private static final String URL = "jdbc:sqlite:data/defaults.db";

    private static SqlitePoolProperties bindEmptyEnvironment() {
        Binder binder = new Binder(new MapConfigurationPropertySource(Map.of()));
        return binder.bindOrCreate("sqlite.pool", SqlitePoolProperties.class);
    }

    @Test
    void anEmptyEnvironmentGivesTheConfigBuildersDefaults() {
        SqlitePoolConfig fromProperties = bindEmptyEnvironment().toConfig(URL);
        SqlitePoolConfig builderDefaults = SqlitePoolConfig.builder().url(URL).build();

        assertThat(fromProperties).usingRecursiveComparison().isEqualTo(builderDefaults);
        assertThat(fromProperties.pragmas()).usingRecursiveComparison().isEqualTo(PragmaSettings.defaults());
        assertThat(fromProperties.groupCommit()).isEqualTo(GroupCommitSettings.DEFAULTS);
    }

    @Test
    void everyGetterStartsAtTheConfigsDefault() {
        SqlitePoolProperties properties = bindEmptyEnvironment();
        SqlitePoolConfig defaults = SqlitePoolConfig.builder().url(URL).build();
        PragmaSettings pragmas = defaults.pragmas();

        assertThat(properties.isEnabled()).as("pooling is on unless turned off").isTrue();
        assertThat(properties.getUrl()).as("no URL: resolved from spring.datasource.url or the default file").isNull();
        assertThat(properties.getName()).isEqualTo(defaults.name());
        assertThat(properties.getMaxConnections()).isEqualTo(defaults.maxConnections());
        assertThat(properties.getAcquireTimeout()).isEqualTo(defaults.acquireTimeout());
        assertThat(properties.getShutdownTimeout()).isEqualTo(defaults.shutdownTimeout());
        assertThat(properties.getLeakDetectionThreshold()).as("leak detection off")
                .isEqualTo(defaults.leakDetectionThreshold().orElse(null));
        assertThat(properties.getStatementCacheSize()).isEqualTo(defaults.statementCacheSize());
        assertThat(properties.getWriteLane().isEnabled()).isEqualTo(defaults.writeLaneEnabled());
        GroupCommitProperties groupCommit = properties.getWriteLane().getGroupCommit();
        assertThat(groupCommit.isEnabled()).as("group commit off").isEqualTo(defaults.groupCommit().enabled());
        assertThat(groupCommit.getMaxMembers()).isEqualTo(defaults.groupCommit().maxMembers());
        assertThat(groupCommit.getMaxAge()).isEqualTo(defaults.groupCommit().maxAge());
        assertThat(groupCommit.getMinCommitTime()).isEqualTo(defaults.groupCommit().minCommitTime());
        CheckpointProperties checkpoint = properties.getCheckpoint();
        assertThat(checkpoint.isEnabled()).isEqualTo(defaults.checkpoint().enabled());
        assertThat(checkpoint.getInterval()).isEqualTo(defaults.checkpoint().interval());
        assertThat(checkpoint.getTruncateWalSize()).isEqualTo(defaults.checkpoint().truncateWalSize());
        assertThat(checkpoint.getMaxWriterBlock()).isEqualTo(defaults.checkpoint().maxWriterBlock());
        assertThat(checkpoint.getStarvationWarning()).isEqualTo(defaults.checkpoint().starvationWarning());

        PragmaProperties bound = properties.getPragmas();
        assertThat(bound.getJournalMode()).isEqualTo(pragmas.journalMode());
        assertThat(bound.getSynchronous()).isEqualTo(pragmas.synchronous());
        assertThat(bound.getCacheSize()).isEqualTo(pragmas.cacheSize());
        assertThat(bound.getTempStore()).isEqualTo(pragmas.tempStore());
        assertThat(bound.getBusyTimeout()).isEqualTo(pragmas.busyTimeout());
        assertThat(bound.isForeignKeys()).isEqualTo(pragmas.foreignKeys());
        assertThat(bound.getMmapSize()).isEqualTo(pragmas.mmapSize());
        assertThat(bound.getJournalSizeLimit()).isEqualTo(pragmas.journalSizeLimit());
        assertThat(bound.getWalAutocheckpoint()).isEqualTo(pragmas.walAutocheckpoint());
        assertThat(bound.getExtra()).isEqualTo(pragmas.extra());
    }
}
