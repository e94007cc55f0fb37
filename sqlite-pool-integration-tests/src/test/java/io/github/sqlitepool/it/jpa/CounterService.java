package io.github.sqlitepool.it.jpa;

import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Transactions as a JPA service writes them. */
@Service
public class CounterService {

    private final CounterRepository counters;

    private final NoteRepository notes;

    CounterService(CounterRepository counters, NoteRepository notes) {
        this.counters = counters;
        this.notes = notes;
    }

    /** Loads, increments and (at commit, by dirty checking) updates with a version check. */
    @Transactional
    public void increment(long id) {
        counters.findById(id).orElseThrow().increment();
    }

    /** Reads in a read-only transaction; a change made to the loaded entity is not flushed. */
    @Transactional(readOnly = true)
    public long hitsChangedInMemory(long id) {
        Counter counter = counters.findById(id).orElseThrow();
        counter.increment();
        return counter.getHits();
    }

    @Transactional(readOnly = true)
    public long hits(long id) {
        return counters.findById(id).orElseThrow().getHits();
    }

    /** Writes, then waits inside the open write transaction until {@code release} opens. */
    @Transactional
    public void incrementAndHold(long id, CountDownLatch written, CountDownLatch release) throws InterruptedException {
        counters.findById(id).orElseThrow().increment();
        counters.flush();
        written.countDown();
        release.await();
    }

    /**
     * Saves and flushes each note in one transaction: once the first insert is flushed the
     * transaction has written, and the 51st note needs a new id block from the second connection.
     */
    @Transactional
    public void saveAndFlushEach(List<Note> batch) {
        batch.forEach(notes::saveAndFlush);
    }
}
