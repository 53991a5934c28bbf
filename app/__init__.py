"""The application shell: main window, screens, settings and the engine bridge (Qt).
Importing this package does not import Qt; only the window modules do."""
