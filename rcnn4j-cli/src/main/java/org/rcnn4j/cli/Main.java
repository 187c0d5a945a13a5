package org.rcnn4j.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.rcnn4j.io.BadInputException;
import org.rcnn4j.io.OutputWriteException;
import org.rcnn4j.training.TrainingDivergedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code rcnn4j} command line. Exit codes: 0 success, 1 a failure of rcnn4j or the machine,
 * 2 bad input (a malformed file or a wrong option) — reported as one line, with the stack trace
 * only under {@code --debug}.
 */
@Command(
        name = "rcnn4j",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Two-stage CNN object detectors (R-CNN, SPP-net, Fast R-CNN, Faster R-CNN, FPN) in Java.",
        subcommands = {SynthCommand.class, PretrainCommand.class, TrainCommand.class, DetectCommand.class, EvalCommand.class,
            ProposalsCommand.class, CompressCommand.class, ImportCommand.class, BenchCommand.class, ServeCommand.class, DemoCommand.class,
            CommandLine.HelpCommand.class})
public final class Main {
    /** Exit code for bad input: a malformed file, a missing file, a wrong option. */
    public static final int EXIT_BAD_INPUT = 2;
    /** Exit code for a failure that is not the input's fault. */
    public static final int EXIT_FAILURE = 1;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print stack traces on errors.")
    boolean debug;

    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("java.awt.headless", "true");
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            String threads = System.getenv("RCNN4J_THREADS");
            System.setProperty("ai.djl.pytorch.num_threads",
                    threads != null ? threads : Integer.toString(defaultThreads(System.getenv("OMP_WAIT_POLICY"))));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        System.exit(run(args));
    }

    /**
     * libtorch's threads when {@code RCNN4J_THREADS} does not say: every core this JVM may use, as
     * torch does, when OpenMP's idle workers sleep ({@code OMP_WAIT_POLICY=PASSIVE}, which the
     * {@code rcnn4j} launcher sets before the natives load); one otherwise. By default libgomp's
     * workers spin while they wait for work, and on a 2-core machine with another job on one core two
     * spinning threads made a training iteration 1.7 to 2.4 times slower than one thread, where two
     * passive ones were as fast or 1.3 times faster (2026-12-04, README "Performance notes").
     */
    static int defaultThreads(String ompWaitPolicy) {
        return "passive".equalsIgnoreCase(ompWaitPolicy) ? Runtime.getRuntime().availableProcessors() : 1;
    }

    /** Runs the command line and returns its exit code (the entry point for tests). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler(Main::handleExecutionException);
        cl.setParameterExceptionHandler(Main::handleParameterException);
        withVersion(cl);
        return cl;
    }

    /** Every subcommand's {@code -V} prints rcnn4j's version (picocli gives a subcommand none of its own). */
    private static void withVersion(CommandLine cl) {
        for (CommandLine sub : cl.getSubcommands().values()) {
            sub.getCommandSpec().versionProvider(new Version());
            withVersion(sub);
        }
    }

    private static int handleParameterException(CommandLine.ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("rcnn4j: " + e.getMessage());
        err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
        err.flush();
        return EXIT_BAD_INPUT;
    }

    private static int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        boolean debug = isDebug(parsed);
        if (debug) e.printStackTrace(err);
        Throwable cause = unwrap(e);
        int code;
        if (cause instanceof BadInputException) {
            err.println("rcnn4j: " + cause.getMessage());
            code = EXIT_BAD_INPUT;
        } else if (cause instanceof NoSuchFileException nf) {
            err.println("rcnn4j: " + nf.getFile() + ": no such file");
            code = EXIT_BAD_INPUT;
        } else if (refusal(cause) != null) {
            err.println("rcnn4j: " + ((FileSystemException) cause).getFile() + ": " + refusal(cause));
            code = EXIT_BAD_INPUT;
        } else if (cause instanceof OutputWriteException) {
            // A full disk or a size limit: not the input's fault, but one line naming the file.
            err.println("rcnn4j: " + cause.getMessage());
            code = EXIT_FAILURE;
        } else if (cause instanceof TrainingDivergedException) {
            // A clear stop, not a crash: the message says where the last good checkpoint is, and
            // which of train's options set the rate and the warm-up it suggests changing.
            err.println("rcnn4j: " + cause.getMessage() + " (train's --lr and --warmup)");
            code = EXIT_FAILURE;
        } else if (cause instanceof UsageException) {
            err.println("rcnn4j: " + cause.getMessage());
            code = EXIT_BAD_INPUT;
        } else {
            err.println("rcnn4j: error: " + cause + (debug ? "" : " (run with --debug for the stack trace)"));
            code = EXIT_FAILURE;
        }
        err.flush();
        return code;
    }

    /**
     * What a path the user named does not allow (a file where a folder must be, no permission), or
     * null for other failures: the commands check their outputs first, this is the fallback.
     */
    private static String refusal(Throwable t) {
        if (t instanceof AccessDeniedException) return "permission denied";
        if (t instanceof FileAlreadyExistsException) return "exists and is not a directory";
        if (t instanceof NotDirectoryException) return "not a directory";
        return null;
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof UncheckedIOException || t instanceof CommandLine.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        // A BadInputException wrapped by a worker thread still reports as bad input.
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof BadInputException) return c;
        }
        return t;
    }

    private static boolean isDebug(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--debug")) return true;
        }
        return false;
    }

    /** The version from the jar's manifest, or the development version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"rcnn4j " + (v != null ? v : "0.1.0-SNAPSHOT")};
        }
    }
}
