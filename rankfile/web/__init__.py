"""Web: the shared layout, templates, static assets and the dashboard."""
