"""The tutor's screens: the main screen, help, export, and the slash commands of the command line."""
