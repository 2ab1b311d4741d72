package io.openiot.launcher;

/** Placeholder entry point; replaced by the one-process launcher. */
public final class PlatformLauncher {
    public static void main(String[] args) {
    }
}
