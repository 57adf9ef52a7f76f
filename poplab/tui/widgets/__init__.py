"""The tutor's widgets: each renders one part of what the conductor reports, with no protocol logic."""
