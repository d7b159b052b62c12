"""Input parts of pages: levers, assumptions, weights, model file, uploads, saved scenarios."""
