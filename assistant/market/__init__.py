"""The talent market: résumé reports, the job catalogue, employer postings, opted-in talents, interview invitations."""
