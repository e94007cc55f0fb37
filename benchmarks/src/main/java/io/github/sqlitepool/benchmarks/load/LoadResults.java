package io.github.sqlitepool.benchmarks.load;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/** The cells of one run, and the ratios between cells of the same run. */
public final class LoadResults {

    private final List<CellResult> cells = new ArrayList<>();

    public void add(CellResult cell) {
        cells.add(cell);
    }

    public List<CellResult> cells() {
        return List.copyOf(cells);
    }

    /** The cell of a pooled target; for {@link Target#SERIAL} use {@link #serial(Workload)}. */
    public Optional<CellResult> find(Workload workload, Target target, int threads) {
        return cells.stream()
                .filter(c -> c.workload() == workload && c.target() == target && c.threads() == threads)
                .findFirst();
    }

    /**
     * The serial sample shown for {@code workload} in the tables (its latencies): of the serial
     * samples taken during the workload's run (one before each thread count), the middle one by
     * throughput, the slower of the two middle ones for an even count. Ratios use
     * {@link #serialOpsPerSecond}, the true median.
     */
    public Optional<CellResult> serial(Workload workload) {
        List<CellResult> samples = serialSamples(workload);
        return samples.isEmpty() ? Optional.empty() : Optional.of(samples.get((samples.size() - 1) / 2));
    }

    /**
     * The serial limit for {@code workload}: the median throughput of its serial samples (the mean
     * of the two middle ones for an even count). One sample would carry whatever else the machine
     * was doing in those seconds into every ratio; the slower middle one would lean every ratio up.
     */
    public OptionalDouble serialOpsPerSecond(Workload workload) {
        List<CellResult> samples = serialSamples(workload);
        if (samples.isEmpty()) {
            return OptionalDouble.empty();
        }
        int middle = samples.size() / 2;
        return OptionalDouble.of(samples.size() % 2 == 1 ? samples.get(middle).opsPerSecond()
                : (samples.get(middle - 1).opsPerSecond() + samples.get(middle).opsPerSecond()) / 2);
    }

    /** Every serial sample of {@code workload}, slowest first. */
    public List<CellResult> serialSamples(Workload workload) {
        return cells.stream()
                .filter(c -> c.workload() == workload && c.target() == Target.SERIAL)
                .sorted(Comparator.comparingDouble(CellResult::opsPerSecond))
                .toList();
    }

    /** {@code cell}'s throughput divided by the serial limit of its workload. */
    public OptionalDouble ratioToSerial(CellResult cell) {
        OptionalDouble serial = serialOpsPerSecond(cell.workload());
        return serial.isPresent() ? OptionalDouble.of(cell.opsPerSecond() / serial.getAsDouble()) : OptionalDouble.empty();
    }

    /** {@code cell}'s throughput divided by HikariCP's (default settings) at the same thread count. */
    public OptionalDouble ratioToHikari(CellResult cell) {
        return find(cell.workload(), Target.HIKARI, cell.threads())
                .map(h -> OptionalDouble.of(cell.opsPerSecond() / h.opsPerSecond()))
                .orElse(OptionalDouble.empty());
    }
}
