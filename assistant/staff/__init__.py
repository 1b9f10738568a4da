"""Staff tools: inspect one question's retrieval, run evaluations, manage the corpus, collect answer feedback."""
