package io.github.sqlitepool.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A web application whose only database wiring is {@code sqlite-pool-starter}: a REST API over
 * the StateManager, the sample's own Flyway-managed table, and Actuator health and metrics.
 */
@SpringBootApplication
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
