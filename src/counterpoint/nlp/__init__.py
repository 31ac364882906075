"""NLP: the spaCy pipeline, actors, time, events, claims and tone."""
