/**
 * File plumbing every package shares: {@link org.rcnn4j.io.BadInputException}, the one exception for
 * malformed input the user owns (a file, and the field or line in it that rcnn4j cannot use), and
 * {@link org.rcnn4j.io.AtomicFiles}, which writes to a temporary file beside the target and renames
 * it over the target (atomically where the file system allows), so a reader sees the old file or the
 * new one, never half of either. {@link org.rcnn4j.io.Float16} converts IEEE 754 half floats, which
 * the feature cache writes and PyTorch weights may hold.
 *
 * <p><b>Errors.</b> {@code rcnn4j-core} never prints and never exits. Bad input raises
 * {@link org.rcnn4j.io.BadInputException} with a one-line message naming the file and the field as it
 * is spelled there ({@code annotations[12].bbox}, {@code line 7}); the command line turns it into one
 * line and exit code 2. Programming errors (arrays of the wrong length, arguments out of range) stay
 * {@link java.lang.IllegalArgumentException}.
 *
 * <p><b>Layering.</b> The bottom of the library: imports nothing from rcnn4j, and every other package
 * may import it.
 */
package org.rcnn4j.io;
