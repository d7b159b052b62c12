"""Input pieces of pages: levers, assumptions, weights, model file, uploads, saved scenarios, messages."""
