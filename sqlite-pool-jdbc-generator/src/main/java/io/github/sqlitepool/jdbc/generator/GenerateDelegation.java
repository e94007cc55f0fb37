package io.github.sqlitepool.jdbc.generator;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an abstract JDBC wrapper whose hand-written part is the behaviour; the
 * {@link DelegationProcessor} writes {@code Generated<Name>}, a final subclass in the same package
 * that implements every interface method still abstract by running {@link #guard()} and then the
 * same method on {@link #delegate()}. Default methods of the interfaces are left alone.
 *
 * <p>An {@code execute...(String sql, ...)} method can be routed through the class's own
 * {@link #execution()} method.
 *
 * <p>A method whose result must be wrapped too is delegated through the class's {@code wrap}
 * method for that type, when it has one: a non-private {@code R wrap(R)} for return type
 * {@code R}.
 *
 * <p>A method that may throw only {@code SQLClientInfoException} ({@code Connection.setClientInfo})
 * runs the guard too; a failure of the guard is thrown as an {@code SQLClientInfoException} with the
 * same message, SQLState and cause.
 *
 * <p>Source retention: the annotation, like the processor, never reaches the compiled classes.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.TYPE)
public @interface GenerateDelegation {

    /** The field of the annotated class that holds the driver's object. */
    String delegate() default "delegate";

    /**
     * A call to run before each delegation, such as {@code checkOpen()}; empty when the class
     * guards its driver object another way.
     */
    String guard() default "";

    /**
     * The class's method that runs SQL text, {@code <T> T name(String sql, call)} with {@code call}
     * a no-argument lambda that may throw {@code SQLException}; empty when there is none. Every
     * {@code execute...} method whose first parameter is the SQL text is then delegated through
     * it: {@code name(sql, () -> delegate.execute...(sql, ...))}.
     */
    String execution() default "";
}
