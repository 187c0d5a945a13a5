/**
 * Plain-Java loops split over the threads libtorch uses ({@link org.rcnn4j.parallel.IntraOpThreads}),
 * for the stages computed in Java at inference.
 *
 * <p><b>Layering.</b> Imports nothing from rcnn4j; any package may use it.
 */
package org.rcnn4j.parallel;
