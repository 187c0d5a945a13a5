package org.rcnn4j.data.synth;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.rcnn4j.data.Category;

/**
 * {@code shapes}: textured geometric shapes on noisy backgrounds, made from nothing but a seed.
 * For tests and the demo.
 *
 * <p>Classes, in order: circle, square, triangle, star, cross. Each image has 1..6 objects; an
 * object's size (the longer side of its rotated outline's box) is log-uniform from
 * {@value #MIN_SIDE} px to {@value #MAX_SIDE_FRACTION} of the image side; shapes other than the
 * circle are rotated at random. Fills are stripes, a checkerboard or blotchy noise in two
 * random colours whose brightness contrasts with the background under the object, so colour
 * carries no class information. A later object may cover part of an earlier one, but every
 * object keeps at least {@value #MIN_VISIBLE} of its pixels visible.
 */
public final class ShapesGenerator extends SceneGenerator {
    /** The kind's name on the command line. */
    public static final String NAME = "shapes";
    /** Class names in class order (ids 1..5). */
    public static final List<String> CLASS_NAMES = List.of("circle", "square", "triangle", "star", "cross");
    /** Default image side in pixels. */
    public static final int DEFAULT_SIZE = 128;
    /** Smallest object size in pixels. */
    public static final int MIN_SIDE = 8;
    /** Largest object size as a share of the image side. */
    public static final double MAX_SIDE_FRACTION = 0.6;
    /** Most objects per image. */
    public static final int MAX_OBJECTS = 6;
    /** Share of its pixels every object keeps visible under later objects. */
    public static final double MIN_VISIBLE = 0.6;

    private static final List<Category> CATEGORIES = categoriesOf(CLASS_NAMES);

    public ShapesGenerator() {
        // Occluded shapes may overlap freely: no IoU limit.
        super(new Rules(NAME, CATEGORIES, DEFAULT_SIZE, MAX_OBJECTS, MIN_VISIBLE, 1.0));
    }

    static List<Category> categoriesOf(List<String> names) {
        List<Category> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) out.add(new Category(i + 1, names.get(i)));
        return List.copyOf(out);
    }







    @Override
    protected Proposal propose(SplittableRandom rng, SynthSpec spec) {
        int classIndex = 1 + rng.nextInt(CLASS_NAMES.size());
        double side = SynthRandom.logUniform(rng, MIN_SIDE, MAX_SIDE_FRACTION * spec.size());
        double angle = classIndex == 1 ? 0 : rng.nextDouble() * 2 * Math.PI;
        // StrictMath rather than AffineTransform.getRotateInstance (Math): same bytes on every platform.
        double cos = StrictMath.cos(angle), sin = StrictMath.sin(angle);
        Shape outline = new AffineTransform(cos, sin, -sin, cos, 0, 0).createTransformedShape(unitOutline(classIndex));
        Rectangle2D b = outline.getBounds2D();
        double scale = side / Math.max(b.getWidth(), b.getHeight());
        AffineTransform fit = new AffineTransform();
        fit.translate(1, 1);
        fit.scale(scale, scale);
        fit.translate(-b.getX(), -b.getY());
        return new Proposal(classIndex, -1, rasterise(fit.createTransformedShape(outline),
                (int) Math.ceil(b.getWidth() * scale) + 2, (int) Math.ceil(b.getHeight() * scale) + 2));
    }

    /** The class's outline around the origin, about 2 units across. */
    static Shape unitOutline(int classIndex) {
        switch (classIndex) {
            case 1:
                return new Ellipse2D.Double(-1, -1, 2, 2);
            case 2:
                return new Rectangle2D.Double(-1, -1, 2, 2);
            case 3:
                return polygon(3, 1.0, 1.0);
            case 4:
                return polygon(5, 1.0, 0.42);
            case 5:
                Area cross = new Area(new Rectangle2D.Double(-1, -0.3, 2, 0.6));
                cross.add(new Area(new Rectangle2D.Double(-0.3, -1, 0.6, 2)));
                return cross;
            default:
                throw new IllegalArgumentException("no shape class " + classIndex);
        }
    }

    /** A regular polygon ({@code inner == outer}) or star with {@code points} tips, first tip up. */
    private static Shape polygon(int points, double outer, double inner) {
        boolean star = inner != outer;
        int n = star ? 2 * points : points;
        Path2D.Double p = new Path2D.Double();
        for (int i = 0; i < n; i++) {
            double r = star && i % 2 == 1 ? inner : outer;
            double a = -Math.PI / 2 + 2 * Math.PI * i / n;
            if (i == 0) p.moveTo(r * StrictMath.cos(a), r * StrictMath.sin(a));
            else p.lineTo(r * StrictMath.cos(a), r * StrictMath.sin(a));
        }
        p.closePath();
        return p;
    }

    /** Anti-aliased coverage of {@code shape} in a {@code w x h} crop. */
    private static Layer rasterise(Shape shape, int w, int h) {
        BufferedImage mask = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = mask.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setColor(Color.WHITE);
            g.fill(shape);
        } finally {
            g.dispose();
        }
        byte[] data = ((DataBufferByte) mask.getRaster().getDataBuffer()).getData();
        float[] alpha = new float[w * h];
        for (int i = 0; i < alpha.length; i++) alpha[i] = (data[i] & 0xFF) / 255f;
        return new Layer(0, 0, w, h, alpha);
    }

    @Override
    protected int[] paint(SplittableRandom rng, Proposal object, double backgroundLuma) {
        return ShapeTexture.draw(rng, object.layer().width(), object.layer().height(), backgroundLuma);
    }
}
