package io.github.sqlitepool.it.transactions;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/** An application with only the starter: JdbcClient, JdbcTemplate and the transaction manager. */
@SpringBootConfiguration
@EnableAutoConfiguration
class JdbcApplication {
}
