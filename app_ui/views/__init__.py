"""Read-only parts of pages: results, goal seek, standing, sources, uncertainty, saved."""
