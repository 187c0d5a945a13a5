/**
 * The {@code rcnn4j} command line, on picocli: {@link org.rcnn4j.cli.Main} and one class per
 * subcommand, {@code synth} ({@link org.rcnn4j.cli.SynthCommand}), {@code pretrain}
 * ({@link org.rcnn4j.cli.PretrainCommand}), {@code train} ({@link org.rcnn4j.cli.TrainCommand}),
 * {@code detect} ({@link org.rcnn4j.cli.DetectCommand}), {@code eval} ({@link org.rcnn4j.cli.EvalCommand}),
 * {@code proposals} ({@link org.rcnn4j.cli.ProposalsCommand}), {@code compress}
 * ({@link org.rcnn4j.cli.CompressCommand}), {@code bench} ({@link org.rcnn4j.cli.BenchCommand}),
 * {@code serve} ({@link org.rcnn4j.cli.ServeCommand}, the HTTP service in {@link org.rcnn4j.cli.serve}) and
 * {@code demo} ({@link org.rcnn4j.cli.DemoCommand}). Each parses and checks its options, then dispatches
 * to {@code rcnn4j-core}: {@code org.rcnn4j.data.synth}, {@code org.rcnn4j.pretrain},
 * {@code org.rcnn4j.training}, {@code org.rcnn4j.detector}, {@code org.rcnn4j.evaluation},
 * {@code org.rcnn4j.proposals} and {@code org.rcnn4j.detector.compress}.
 *
 * <p>What the command line adds is presentation: progress on the terminal or in logs
 * ({@link org.rcnn4j.cli.Progress}), output directories that appear whole or not at all
 * ({@link org.rcnn4j.cli.OutputDirectory}) and outputs checked before any work
 * ({@link org.rcnn4j.cli.OutputPaths}), and PNG plots of loss and precision/recall curves
 * ({@link org.rcnn4j.cli.LossCurve}, {@link org.rcnn4j.cli.PrCurvePlotter}). Option rules shared by
 * several commands sit in {@link org.rcnn4j.cli.ProposalsOption} and
 * {@link org.rcnn4j.cli.PretrainedBackbone}.
 *
 * <p><b>Exit codes.</b> 0 success; 2 bad input, reported as one line: a
 * {@link org.rcnn4j.io.BadInputException} from the library ({@code file: where: what}), a missing
 * file, a path the file system refuses (no permission, a file where a folder must be), a malformed
 * option, or options that do not make sense together ({@link org.rcnn4j.cli.UsageException}); 1 a failure of rcnn4j or of the machine, including a
 * training run whose loss diverged. The stack trace is printed only under {@code --debug}.
 *
 * <p><b>Layering.</b> The top of the project and the only code that prints or exits; nothing in
 * {@code rcnn4j-core} imports it. It holds no detection, data or evaluation rules of its own: those
 * live in the library, so that a JVM service gets the same behaviour without the command line.
 */
package org.rcnn4j.cli;
