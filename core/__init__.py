"""NumPy-only building blocks: layers, losses, optimisers, data and the lesson Experiments."""
