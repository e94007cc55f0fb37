package io.github.sqlitepool.jdbc.generator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compiles small wrappers with the processor, generated source included, and reads what it wrote. */
class DelegationProcessorTest {

    @TempDir
    Path out;

    private final DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();

    @Test
    void implementsTheAbstractMethodsWithTheGuardAndTheJdksParameterNames() throws IOException {
        boolean compiled = compile("sample.MetaData", """
                package sample;
                import java.sql.ParameterMetaData;
                import java.sql.SQLException;
                @io.github.sqlitepool.jdbc.generator.GenerateDelegation(guard = "check()")
                abstract class MetaData implements ParameterMetaData {
                    final ParameterMetaData delegate;
                    MetaData(ParameterMetaData delegate) { this.delegate = delegate; }
                    void check() throws SQLException { }
                    @Override public int getParameterCount() { return 0; }
                    @Override public <T> T unwrap(Class<T> iface) { return null; }
                    @Override public boolean isWrapperFor(Class<?> iface) { return false; }
                }
                """);

        assertThat(compiled).as("%s", diagnostics.getDiagnostics()).isTrue();
        String generated = Files.readString(out.resolve("sample/GeneratedMetaData.java"));
        assertThat(generated)
                .contains("final class GeneratedMetaData extends MetaData {")
                .contains("GeneratedMetaData(java.sql.ParameterMetaData delegate) {\n        super(delegate);")
                .contains("public int getParameterType(int param) throws java.sql.SQLException {\n"
                        + "        check();\n"
                        + "        return delegate.getParameterType(param);\n    }")
                .doesNotContain("getParameterCount") // hand-written
                .doesNotContain("unwrap")
                .doesNotContain("arg0");
    }

    @Test
    void wrapsResultsAndRoutesSqlTextThroughTheClassesOwnMethods() throws IOException {
        boolean compiled = compile("sample.Stmt", """
                package sample;
                import java.sql.ResultSet;
                import java.sql.SQLException;
                import java.sql.Statement;
                import java.util.concurrent.Callable;
                @io.github.sqlitepool.jdbc.generator.GenerateDelegation(execution = "run")
                abstract class Stmt<S extends Statement> implements Statement {
                    final S delegate;
                    Stmt(S delegate) { this.delegate = delegate; }
                    interface Call<T> { T call() throws SQLException; }
                    <T> T run(String sql, Call<T> call) throws SQLException { return call.call(); }
                    ResultSet wrap(ResultSet results) { return results; }
                }
                """);

        assertThat(compiled).as("%s", diagnostics.getDiagnostics()).isTrue();
        String generated = Files.readString(out.resolve("sample/GeneratedStmt.java"));
        assertThat(generated)
                .contains("final class GeneratedStmt<S extends java.sql.Statement> extends Stmt<S> {")
                .contains("return wrap(run(sql, () -> delegate.executeQuery(sql)));")
                .contains("return run(sql, () -> delegate.executeUpdate(sql, columnIndexes));")
                .contains("return wrap(delegate.getResultSet());")
                .contains("public void setQueryTimeout(int seconds)")
                .doesNotContain("enquoteLiteral"); // a JDBC default method: left alone
    }

    @Test
    void aGuardOnAMethodThatMayThrowOnlyAClientInfoExceptionFailsWithOne() throws IOException {
        boolean compiled = compile("sample.Conn", """
                package sample;
                import java.sql.Connection;
                import java.sql.SQLException;
                @io.github.sqlitepool.jdbc.generator.GenerateDelegation(guard = "check()")
                abstract class Conn implements Connection {
                    final Connection delegate;
                    Conn(Connection delegate) { this.delegate = delegate; }
                    void check() throws SQLException { }
                }
                """);

        assertThat(compiled).as("%s", diagnostics.getDiagnostics()).isTrue();
        String generated = Files.readString(out.resolve("sample/GeneratedConn.java"));
        assertThat(generated)
                .contains("public void setClientInfo(String name, String value) throws java.sql.SQLClientInfoException {\n"
                        + "        try {\n"
                        + "            check();\n"
                        + "        } catch (java.sql.SQLException guarded) {\n"
                        + "            throw new java.sql.SQLClientInfoException(guarded.getMessage(), guarded.getSQLState(),\n"
                        + "                    java.util.Map.of(), guarded);\n"
                        + "        }\n"
                        + "        delegate.setClientInfo(name, value);\n    }")
                .contains("public void commit() throws java.sql.SQLException {\n        check();\n");
    }

    @Test
    void refusesAConcreteClass() {
        boolean compiled = compile("sample.Concrete", """
                package sample;
                @io.github.sqlitepool.jdbc.generator.GenerateDelegation
                class Concrete {
                }
                """);

        assertThat(compiled).isFalse();
        assertThat(diagnostics.getDiagnostics()).anySatisfy(diagnostic -> {
            assertThat(diagnostic.getKind()).isEqualTo(Diagnostic.Kind.ERROR);
            assertThat(diagnostic.getMessage(null)).contains("belongs on an abstract class");
        });
    }

    private boolean compile(String className, String source) {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        JavaFileObject file = new SimpleJavaFileObject(
                URI.create("string:///" + className.replace('.', '/') + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        List<String> options = new ArrayList<>(List.of("-d", out.toString(), "-s", out.toString(),
                "-classpath", System.getProperty("java.class.path")));
        JavaCompiler.CompilationTask task = compiler.getTask(null, null, diagnostics, options, null, List.of(file));
        task.setProcessors(List.of(new DelegationProcessor()));
        return task.call();
    }
}
