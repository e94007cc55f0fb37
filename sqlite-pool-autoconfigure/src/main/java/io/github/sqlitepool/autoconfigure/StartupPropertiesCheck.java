package io.github.sqlitepool.autoconfigure;

import java.util.function.Consumer;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Validates a group of properties as soon as the context starts, before any bean is created.
 * Properties bound by a bean that comes after the {@code DataSource} (health, the StateManager)
 * would otherwise be checked only after the pool had opened the database; a bad value must stop
 * startup before that, like every {@code sqlite.pool.*} value the pool itself reads.
 *
 * <p>Declare it from a {@code static} {@code @Bean} method of the auto-configuration that owns
 * the properties. The check throws {@link io.github.sqlitepool.pool.config.PoolConfigurationException}
 * naming the property, which the starter's failure analyzer reports.
 */
public final class StartupPropertiesCheck implements BeanFactoryPostProcessor, EnvironmentAware {

    private final Consumer<Binder> check;

    private Environment environment;

    /** A check that binds what it needs from the environment's {@link Binder} and validates it. */
    public StartupPropertiesCheck(Consumer<Binder> check) {
        this.check = check;
    }

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        check.accept(Binder.get(environment));
    }
}
