"""Self-contained HTML views (article, run report, evaluation): they render the records they are given."""
