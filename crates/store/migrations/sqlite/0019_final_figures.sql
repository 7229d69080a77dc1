-- Figures a program has marked final (docs/privacy.md, store/src/finals.rs): a quarter's
-- outcomes or a review date's fidelity report, kept as they were published, with the
-- version of the rules they were computed under. An erasure or a restriction later changes
-- the records behind them, never these rows: reading a final figure reads its snapshot.
-- `period` is the quarter (`2025Q1`) for outcomes, the review date for fidelity; `figures`
-- is the JSON that `fika outcomes` / `fika fidelity` print for it.
CREATE TABLE final_figure (
    program_id TEXT NOT NULL REFERENCES program (program_id),
    kind TEXT NOT NULL CHECK (kind IN ('outcomes', 'fidelity')),
    period TEXT NOT NULL,
    rules INTEGER NOT NULL,
    figures TEXT NOT NULL,
    marked_by TEXT NOT NULL,
    marked_at TEXT NOT NULL,
    PRIMARY KEY (program_id, kind, period)
);
