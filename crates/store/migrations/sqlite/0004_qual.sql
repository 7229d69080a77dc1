-- Qualitative projects (thematic analysis, REFI-QDA exchange). A project is read and written
-- whole — codebook, transcripts, coded segments, memos, sets — so it is kept as one JSON
-- document (fika_qual::Project). The files of sources fika keeps but cannot show (PDF,
-- pictures, audio, video, a transcript's original .docx) are binary and often large: they
-- live beside it in qual_file, base64-encoded, and the document holds them empty.
CREATE TABLE qual_project (
    project_id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    document TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
-- `source_guid` is the source the file belongs to and `position` its place among that
-- source's files (a text source has at most one: its original document).
CREATE TABLE qual_file (
    project_id TEXT NOT NULL REFERENCES qual_project (project_id),
    source_guid TEXT NOT NULL,
    position INTEGER NOT NULL,
    path TEXT NOT NULL,
    content TEXT NOT NULL,
    PRIMARY KEY (project_id, source_guid, position)
);
-- Who may see a project in the web pages: its owners and its coders.
CREATE TABLE qual_member (
    project_id TEXT NOT NULL REFERENCES qual_project (project_id),
    user_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('owner', 'coder')),
    PRIMARY KEY (project_id, user_name)
);
