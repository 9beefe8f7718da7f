"""The Textual app: App class, runner, widgets, theme and command line."""
