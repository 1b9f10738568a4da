"""The chat agent: one conversation over policy answers and the job, skill, résumé and shortage tools."""
