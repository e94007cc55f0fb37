package io.github.sqlitepool.testsupport;

import java.util.concurrent.CountDownLatch;

/**
 * The child of {@link ChildJvmTest}: prints a complete line and one without {@code END}, then (with
 * the argument {@code ready}) {@code READY END}, and waits until it is killed.
 */
public final class ReportingChild {

    private ReportingChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println("FIRST" + ChildJvm.END);
        System.out.println("CUT SHORT");
        if (args.length > 0 && args[0].equals("ready")) {
            System.out.println(ChildJvm.READY);
        }
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
