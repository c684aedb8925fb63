"""Real-world datasets for alliance cohesion."""
