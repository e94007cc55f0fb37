package io.github.sqlitepool.benchmarks.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Properties;

/** Where and with what a run was measured, for the report's header. */
public record MachineInfo(int cores, String jdk, String os, Instant date, String sqliteJdbc, String sqlite,
                          String hikari, String jmh) {

    public static MachineInfo current() throws SQLException {
        return new MachineInfo(Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name") + " " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")",
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                Instant.now().truncatedTo(ChronoUnit.SECONDS),
                mavenVersion("org.xerial", "sqlite-jdbc"),
                sqliteVersion(),
                mavenVersion("com.zaxxer", "HikariCP"),
                mavenVersion("org.openjdk.jmh", "jmh-core"));
    }

    private static String sqliteVersion() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT sqlite_version()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** The version in the {@code pom.properties} Maven packs into every jar (kept by the shaded jar too). */
    private static String mavenVersion(String groupId, String artifactId) {
        String resource = "/META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
        try (InputStream in = MachineInfo.class.getResourceAsStream(resource)) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
