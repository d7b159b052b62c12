"""Read-only pieces of pages shared or split out of them: results, goal seek, standing, sources, uncertainty."""
