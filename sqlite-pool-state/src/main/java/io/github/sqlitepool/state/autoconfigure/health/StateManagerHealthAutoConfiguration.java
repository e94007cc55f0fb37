package io.github.sqlitepool.state.autoconfigure.health;

import io.github.sqlitepool.state.StateManager;
import io.github.sqlitepool.state.autoconfigure.StateManagerAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * The {@code stateManager} health contributor, when Spring Boot's health module is present, a
 * {@link StateManager} bean exists and {@code management.health.statemanager.enabled} is not false.
 */
@AutoConfiguration(after = StateManagerAutoConfiguration.class)
@ConditionalOnClass({ HealthContributor.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(StateManager.class)
@ConditionalOnEnabledHealthIndicator("statemanager")
public class StateManagerHealthAutoConfiguration {

    /** Named so that Actuator lists it as {@code stateManager}. */
    @Bean
    @ConditionalOnMissingBean(name = "stateManagerHealthIndicator")
    StateManagerHealthIndicator stateManagerHealthIndicator(StateManager stateManager) {
        return new StateManagerHealthIndicator(stateManager);
    }
}
