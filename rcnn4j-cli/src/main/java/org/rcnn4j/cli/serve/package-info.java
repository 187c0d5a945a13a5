/**
 * {@code rcnn4j serve}'s HTTP detection service, on the JDK's {@code com.sun.net.httpserver}:
 * {@link org.rcnn4j.cli.serve.DetectionServer} routes every request through one place that answers
 * any failure as JSON; {@link org.rcnn4j.cli.serve.DetectEndpoint} takes an upload
 * ({@link org.rcnn4j.cli.serve.RequestBody}, {@link org.rcnn4j.cli.serve.MultipartForm}) to a
 * worker of the bounded {@link org.rcnn4j.cli.serve.DetectionPool};
 * {@link org.rcnn4j.cli.serve.ServerMetrics} is {@code /metrics}; {@link org.rcnn4j.cli.serve.StaticPage}
 * serves the web page, whose HTML, CSS and JavaScript are resources under {@code org/rcnn4j/serve/page/}.
 *
 * <p>Why the JDK's server and not Jetty or Javalin: the service needs routing by path, request
 * bodies read as streams (to refuse a large one before it is read whole), its own bounded thread
 * pool, and plain status codes and headers, all of which the JDK's server has, with no dependency
 * to ship or keep up to date. What it lacks (a JSON error for every failure, body limits, a
 * bounded queue with 503, graceful draining, metrics) is this package, about 1,200 lines.
 *
 * <p>The detection itself is {@link org.rcnn4j.detector.Detector}'s, which is safe to call from the
 * workers at once; the package adds no detection rules of its own.
 */
package org.rcnn4j.cli.serve;
