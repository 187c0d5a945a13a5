/**
 * Procedural detection datasets made from a seed. A {@link org.rcnn4j.data.synth.SyntheticDataset}
 * ({@link org.rcnn4j.data.synth.SyntheticDataset#named}: {@code shapes} or {@code fashion}) writes PNG
 * images into a folder and returns their ground truth as a {@link org.rcnn4j.data.Dataset}:
 *
 * <ul>
 *   <li>{@link org.rcnn4j.data.synth.ShapesGenerator}: textured circles, squares, triangles, stars and
 *       crosses on noisy backgrounds, needing nothing installed (tests, the demo);</li>
 *   <li>{@link org.rcnn4j.data.synth.FashionGenerator}: Fashion-MNIST items
 *       ({@link org.rcnn4j.data.synth.FashionMnist}) composited on procedural backgrounds of five
 *       {@link org.rcnn4j.data.synth.BackgroundFamily families}, the benchmark; train, val and test draw
 *       from disjoint items.</li>
 * </ul>
 * Both follow {@link org.rcnn4j.data.synth.SceneGenerator}'s recipe: a background, objects placed one
 * by one under occlusion rules (a bounded IoU between visible boxes, a minimum visible fraction of each
 * object), compositing and sensor noise. A {@link org.rcnn4j.data.synth.Scene} lists its
 * {@link org.rcnn4j.data.synth.SceneObject}s, bottom to top.
 *
 * <p><b>Boxes</b> are the tight boxes of each object's visible pixels, absolute continuous
 * {@code x1 y1 x2 y2} as in {@link org.rcnn4j.data.Annotation}; classes are 1..K in the generator's
 * order, category ids the same.
 *
 * <p><b>Determinism.</b> A {@link org.rcnn4j.data.synth.SynthSpec} (split, image count, size, seed)
 * gives the same images byte for byte: every image draws from its own stream seeded by
 * (seed, split, index), so neither the thread count nor the order of work changes the output.
 *
 * <p><b>Layering.</b> Imports {@code org.rcnn4j.data} and {@code org.rcnn4j.io} only. Never prints
 * or exits; progress goes to the caller's callback.
 */
package org.rcnn4j.data.synth;
