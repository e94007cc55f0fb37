package io.github.sqlitepool.it.jpa;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;

/**
 * The id mapping most JPA code has, {@code @Id @GeneratedValue Long id}: with the community
 * SQLite dialect, Hibernate allocates ids in blocks of 50 from a table ({@code note_seq}), on a
 * second connection in a transaction of its own, while the save's transaction is open.
 */
@Entity
public class Note {

    @Id
    @GeneratedValue
    private Long id;

    private String text;

    protected Note() {
    }

    public Note(String text) {
        this.text = text;
    }

    public Long getId() {
        return id;
    }

    public String getText() {
        return text;
    }
}
