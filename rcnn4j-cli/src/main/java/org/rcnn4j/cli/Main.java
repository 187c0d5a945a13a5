package org.rcnn4j.cli;

/** Placeholder entry point replaced when the command line lands. */
public final class Main {
    public static void main(String[] args) {
        System.out.println("rcnn4j");
    }
}
