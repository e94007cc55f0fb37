package io.github.sqlitepool.it.jpa;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Version;

/** A counter under optimistic locking, with the id mapping that suits SQLite (IDENTITY: the rowid). */
@Entity
public class Counter {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Version
    private long version;

    private long hits;

    protected Counter() {
    }

    public Counter(long hits) {
        this.hits = hits;
    }

    public Long getId() {
        return id;
    }

    public long getVersion() {
        return version;
    }

    public long getHits() {
        return hits;
    }

    public void increment() {
        hits++;
    }
}
