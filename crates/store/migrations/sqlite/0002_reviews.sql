-- Fidelity reviews. A review is read and written whole (25 items, each with the reviewers'
-- ratings, rationales and the consensus), so it is kept as one JSON document; the columns
-- beside it are what lists and trends select and order by.
CREATE TABLE fidelity_review (
    review_id TEXT PRIMARY KEY,
    program_id TEXT NOT NULL REFERENCES program (program_id),
    review_date TEXT NOT NULL,
    kind TEXT NOT NULL,
    document TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX fidelity_review_by_program ON fidelity_review (program_id, review_date);
