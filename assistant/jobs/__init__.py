"""Jobs and talents: the library of postings and profiles, 22-dimension two-way matching, fairness checks."""
