/**
 * Region proposals from outside the network, for the detectors that take them (R-CNN §2.1, SPP-net,
 * Fast R-CNN): the {@link org.rcnn4j.proposals.ProposalSource} a detector is given at run time, and
 * selective search (Uijlings et al., IJCV 2013) in plain Java on primitive arrays.
 *
 * <ul>
 *   <li>{@link org.rcnn4j.proposals.ProposalSource}: each image's {@link org.rcnn4j.box.Proposals},
 *       from a proposals file ({@link org.rcnn4j.proposals.ProposalsFileSource}) or computed once per
 *       image and cached ({@link org.rcnn4j.proposals.SelectiveSearchSource});</li>
 *   <li>{@link org.rcnn4j.proposals.ColourSpace}: the image in HSV, Lab, rgI, H or I, channels in [0, 255];</li>
 *   <li>{@link org.rcnn4j.proposals.GraphSegmentation}: Felzenszwalb–Huttenlocher initial regions
 *       ({@link org.rcnn4j.proposals.Segmentation});</li>
 *   <li>{@link org.rcnn4j.proposals.ImageFeatures} and {@link org.rcnn4j.proposals.RegionDescriptors}:
 *       per-pixel histogram bins, and per-region size, box, colour and texture histograms;</li>
 *   <li>{@link org.rcnn4j.proposals.Similarity}: colour, texture, size and fill, and their sums (strategies);</li>
 *   <li>{@link org.rcnn4j.proposals.HierarchicalGrouping}: greedy merging of the most similar neighbours;</li>
 *   <li>{@link org.rcnn4j.proposals.SelectiveSearch}: the diversified whole (fast and quality
 *       modes), ranked, deduplicated, as {@link org.rcnn4j.box.Proposals}.</li>
 * </ul>
 *
 * <p>Boxes are {@code x1 y1 x2 y2} in continuous pixel coordinates of the original image (a region
 * covering pixel columns 3..5 spans x1 = 3, x2 = 6), best first;
 * {@link org.rcnn4j.proposals.ProposalSource#toInputFrame} moves them into a resized, maybe flipped
 * network input. Randomness (the ranking) is seeded per image from (seed, image id), so results do
 * not depend on thread count.
 *
 * <p><b>Layering.</b> Imports {@code box}, {@code data}, {@code preprocess} and {@code io}; nothing
 * from {@code detector}, {@code training}, {@code pretrain} or the CLI. Never prints or exits.
 */
package org.rcnn4j.proposals;
