package io.github.sqlitepool.pool;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The {@link VarHandle} of a class's own field, for the few fields of the lease path that need an
 * atomic or ordered access without an atomic object beside them (one object less per lease).
 */
final class FieldHandles {

    private FieldHandles() {
    }

    /**
     * The handle of field {@code name}, of {@code type}, of the class that made {@code lookup}
     * ({@link MethodHandles#lookup()} in its static initializer, so the field may be private).
     */
    static VarHandle of(MethodHandles.Lookup lookup, String name, Class<?> type) {
        try {
            return lookup.findVarHandle(lookup.lookupClass(), name, type);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
