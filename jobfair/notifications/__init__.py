"""In-site notification centre for every role."""
