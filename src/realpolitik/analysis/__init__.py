"""Analysis on top of scenarios, models and data: cohesion, similarity, sensitivity."""
