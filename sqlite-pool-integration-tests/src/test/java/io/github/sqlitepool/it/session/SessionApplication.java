package io.github.sqlitepool.it.session;

import jakarta.servlet.http.HttpSession;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A web application whose HTTP sessions live in SQLite (Spring Session JDBC). */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ SessionApplication.CartController.class, SessionApplication.CartService.class })
class SessionApplication {

    /** What a user sets for Spring Session JDBC on SQLite (docs/integrations/session.md). */
    static final String[] PROPERTIES = { "spring.session.jdbc.initialize-schema=always" };

    @RestController
    static class CartController {

        private final CartService cart;

        CartController(CartService cart) {
            this.cart = cart;
        }

        @PostMapping("/cart")
        String add(HttpSession session, @RequestParam String item) {
            cart.add(session, item);
            return "added " + item;
        }
    }

    @Service
    static class CartService {

        private final JdbcClient jdbc;

        CartService(JdbcClient jdbc) {
            this.jdbc = jdbc;
        }

        /**
         * Remembers the item in the session, then stores it. With flush-mode immediate, Spring
         * Session saves the attribute at once, in a REQUIRES_NEW transaction of its own.
         */
        @Transactional
        public void add(HttpSession session, String item) {
            session.setAttribute("last-item", item);
            jdbc.sql("INSERT INTO cart_item (item) VALUES (?)").param(item).update();
        }
    }
}
