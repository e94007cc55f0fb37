import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.lang.model.element.Modifier;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.JavacTask;

/**
 * Writes jdbc-parameter-names.properties from the JDK's own java.sql sources. Run once per JDK
 * that adds JDBC methods, not at build time (the build must not depend on a src.zip):
 *
 * <pre>
 * unzip -q $JAVA_HOME/lib/src.zip 'java.sql/java/sql/*' -d /tmp/jdk-src
 * java tools/JdbcParameterNames.java /tmp/jdk-src/java.sql/java/sql \
 *     > src/main/resources/io/github/sqlitepool/jdbc/generator/jdbc-parameter-names.properties
 * </pre>
 *
 * Only parses (no attribution): a parameter type is written as its simple name without type
 * arguments, the same key the processor computes from the erased type.
 */
public class JdbcParameterNames {

    public static void main(String[] args) throws IOException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        StandardJavaFileManager files = compiler.getStandardFileManager(null, null, null);
        List<Path> sources;
        try (Stream<Path> listing = Files.list(Path.of(args[0]))) {
            sources = listing.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList());
        }
        JavacTask task = (JavacTask) compiler.getTask(null, files, null, null, null,
                files.getJavaFileObjectsFromPaths(sources));
        TreeSet<String> lines = new TreeSet<>();
        for (CompilationUnitTree unit : task.parse()) {
            for (Tree type : unit.getTypeDecls()) {
                if (type instanceof ClassTree declaration && declaration.getKind() == Tree.Kind.INTERFACE) {
                    collect(declaration, lines);
                }
            }
        }
        System.out.println("# Parameter names of the java.sql interfaces, from the JDK's src.zip by tools/JdbcParameterNames.java.");
        System.out.println("# Interface.method(SimpleErasedType,...)=name,...");
        lines.forEach(System.out::println);
    }

    private static void collect(ClassTree declaration, TreeSet<String> lines) {
        for (Tree member : declaration.getMembers()) {
            if (member instanceof MethodTree method && !method.getParameters().isEmpty()
                    && !method.getModifiers().getFlags().contains(Modifier.STATIC)) {
                StringBuilder key = new StringBuilder(declaration.getSimpleName() + "." + method.getName() + "(");
                StringBuilder names = new StringBuilder();
                for (VariableTree parameter : method.getParameters()) {
                    if (names.length() > 0) {
                        key.append(',');
                        names.append(',');
                    }
                    key.append(simpleErased(parameter.getType().toString()));
                    names.append(parameter.getName());
                }
                lines.add(key.append(")=").append(names).toString());
            }
        }
    }

    private static String simpleErased(String type) {
        String raw = type.replaceAll("<.*>", "").replace("...", "[]");
        return raw.substring(raw.lastIndexOf('.', raw.indexOf('[') < 0 ? raw.length() : raw.indexOf('[')) + 1);
    }
}
