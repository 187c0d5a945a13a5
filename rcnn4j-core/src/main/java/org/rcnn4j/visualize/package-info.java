/** Pictures of detections: {@link org.rcnn4j.visualize.BoxPainter} draws labelled boxes and writes PNGs. */
package org.rcnn4j.visualize;
