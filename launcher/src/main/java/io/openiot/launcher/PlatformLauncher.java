package io.openiot.launcher;

/**
 * Starts the whole platform in this JVM and keeps it running until Ctrl-C. Settings: see {@link LauncherSettings}.
 */
public final class PlatformLauncher {

    private PlatformLauncher() {
    }

    public static void main(String[] args) throws Exception {
        LauncherSettings settings;
        try {
            settings = LauncherSettings.from(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Platform platform = Platform.start(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping the platform...");
            platform.close();
            System.out.println("Stopped.");
        }, "platform-stop"));
        platform.printEndpoints(System.out);
    }
}
