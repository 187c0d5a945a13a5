/**
 * Necks between a backbone and the detection stages: {@link org.rcnn4j.modeling.neck.FeaturePyramid},
 * the Feature Pyramid Network's top-down pathway with lateral connections (FPN 2017, §3, Fig. 3). It
 * turns the backbone's C2..C5 into P2..P5 with d channels each (256 in the paper) at strides 4 to 32,
 * plus P6 (P5 subsampled by 2) for the RPN's largest anchors (FPN §4.1). The RPN slides over P2..P6
 * and the region stage pools each RoI from one of P2..P5
 * ({@link org.rcnn4j.modeling.poolers.MultiLevelRoIPooler}).
 *
 * <p><b>Shapes.</b> Input {@code [C2, C3, C4, C5]}, each {@code (N, C_i, H_i, W_i)} with
 * {@code H_{i+1} = ceil(H_i / 2)}; output {@code [P2, P3, P4, P5, P6]}, each {@code (N, d, H_i, W_i)}.
 *
 * <p><b>Layering.</b> Imports only {@code org.rcnn4j.modeling.backbone}; nothing from
 * {@code detector}, {@code training}, {@code pretrain} or the CLI. FPN as a detector is
 * {@code org.rcnn4j.detector.Fpn}.
 */
package org.rcnn4j.modeling.neck;
