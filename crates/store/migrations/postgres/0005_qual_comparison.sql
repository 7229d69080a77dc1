-- The comparison of a qualitative project's coders (web pages). Until the project's owner
-- opens it, each coder sees only their own coding, so that coders code independently;
-- NULL = not open yet. Opening is for good: the figures are of the coding done before.
ALTER TABLE qual_project ADD COLUMN comparison_opened_at TIMESTAMPTZ;
