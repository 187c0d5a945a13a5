/**
 * The sections detector configs are built from, as records serialised under the names in brackets in
 * the {@code config} object of {@code model.json} or of a {@code --config} file:
 *
 * <ul>
 *   <li>{@link org.rcnn4j.config.InputConfig} ({@code input}): image scaling, Fast R-CNN §2.3 and §5.2;</li>
 *   <li>{@link org.rcnn4j.config.AnchorConfig} ({@code anchors}) and {@link org.rcnn4j.config.RpnConfig}
 *       ({@code rpn}): the RPN's anchors and its training and proposal rules, Faster R-CNN §3.1–3.3;</li>
 *   <li>{@link org.rcnn4j.config.RoiConfig} ({@code roi}): RoI sampling, pooling and the box head, Fast
 *       R-CNN §2, with {@link org.rcnn4j.config.PoolerType} ({@code roi-pool}, {@code roi-align}) and
 *       {@link org.rcnn4j.config.BoxHeadType} ({@code fc}, {@code c5});</li>
 *   <li>{@link org.rcnn4j.config.TestConfig} ({@code test}): score threshold, per-class NMS, detections
 *       per image;</li>
 *   <li>{@link org.rcnn4j.config.ImagePyramid} ({@code pyramid}): the test-time image pyramid, SPP-net
 *       §3.1 and Fast R-CNN §5.2;</li>
 *   <li>{@link org.rcnn4j.config.RegionWarpConfig} ({@code warp}), {@link org.rcnn4j.config.SvmConfig}
 *       ({@code svm}) and {@link org.rcnn4j.config.BoxRegressionConfig} ({@code boxRegression}): R-CNN's
 *       region warp (§2.1), class SVMs (§2.3) and box regressors (Appendix C).</li>
 * </ul>
 *
 * <p>{@link org.rcnn4j.config.DetectorConfig} is what every detector's config has in common (backbone,
 * K object classes with background excluded, input scale) and {@link org.rcnn4j.config.RoiHeadConfig}
 * adds the region stage; each detector's own record, holding its paper's defaults, lives beside the
 * detector in {@code org.rcnn4j.detector}. Sizes are network-input pixels unless a field says otherwise.
 *
 * <p><b>Errors.</b> Validation throws {@link org.rcnn4j.config.ConfigException}, a field path
 * ({@code rpn.nms}, {@code roi.pooler}) and the problem. {@link org.rcnn4j.config.ConfigFiles} reads a
 * {@code --config} file or a {@code model.json}'s config and reports a malformed, unknown or
 * out-of-range field as one {@link org.rcnn4j.io.BadInputException} line naming the file and the field.
 *
 * <p><b>Layering.</b> Imports only {@code org.rcnn4j.io}; nothing from {@code detector},
 * {@code training}, {@code pretrain} or the CLI. Never prints or exits.
 */
package org.rcnn4j.config;
